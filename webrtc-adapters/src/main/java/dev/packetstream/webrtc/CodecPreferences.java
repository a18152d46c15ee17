package dev.packetstream.webrtc;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCRtpCodecCapability;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.MediaType;
import dev.packetstream.core.media.VideoCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts the preferred video codecs first in every video transceiver's codec list
 * ({@code setCodecPreferences}), keeping the rest (other codecs, RTX, RED, FEC) after them. Called
 * on the session's event thread before each offer and answer.
 */
final class CodecPreferences {
    private CodecPreferences() {
    }

    static void apply(PeerConnectionFactory factory, RTCPeerConnection pc, List<VideoCodec> preferred) {
        if (preferred.isEmpty()) {
            return;
        }
        List<RTCRtpCodecCapability> all = factory.getRtpReceiverCapabilities(MediaType.VIDEO).getCodecs();
        List<RTCRtpCodecCapability> ordered = new ArrayList<>();
        for (VideoCodec c : preferred) {
            boolean found = false;
            for (RTCRtpCodecCapability cap : all) {
                if (cap.getMimeType().equalsIgnoreCase(c.mimeType())) {
                    ordered.add(cap);
                    found = true;
                }
            }
            if (!found) {
                throw new RtcException("video codec " + c + " is not available in this libwebrtc build; available: "
                        + all.stream().map(RTCRtpCodecCapability::getMimeType).distinct().toList());
            }
        }
        for (RTCRtpCodecCapability cap : all) {
            if (!ordered.contains(cap)) {
                ordered.add(cap);
            }
        }
        for (RTCRtpTransceiver t : pc.getTransceivers()) {
            MediaStreamTrack track = t.getReceiver().getTrack();
            if (track != null && MediaStreamTrack.VIDEO_TRACK_KIND.equals(track.getKind()) && !t.stopped()) {
                t.setCodecPreferences(ordered);
            }
        }
    }
}
