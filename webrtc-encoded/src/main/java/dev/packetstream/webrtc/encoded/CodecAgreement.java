package dev.packetstream.webrtc.encoded;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a negotiated answer accepts the codec one of a sender's tracks sends, and the error
 * that says why not. Pure function; any thread.
 */
final class CodecAgreement {
    private CodecAgreement() {
    }

    /**
     * Throws when {@code sections} (an answer) accept none of the track's codec. {@code offer} is
     * the peer's offer when this session answered (null when it offered): a codec the peer offered
     * but the answer lacks is webrtcbin's limit, not the peer's, and the message says so.
     */
    static void require(String session, String sender, MediaKind trackKind, String codecName, List<Sdp.Section> sections,
                        List<Sdp.Section> offer, String what) {
        String kind = trackKind == MediaKind.VIDEO ? "video" : "audio";
        boolean ok = false;
        List<String> accepted = new ArrayList<>();
        for (Sdp.Section s : sections) {
            if (s.kind().equals(kind)) {
                accepted.addAll(s.encodings());
                ok |= s.port() != 0 && s.encodings().contains(codecName);
            }
        }
        if (ok) {
            return;
        }
        boolean peerOffered = offer != null && offer.stream()
                .anyMatch(s -> s.kind().equals(kind) && s.encodings().contains(codecName));
        if (peerOffered) {
            throw new IllegalArgumentException("session '" + session + "': the peer offers " + codecName
                    + " but webrtcbin cannot answer it with sender '" + sender + "': it does not renumber a sent "
                    + "stream, and the offer's " + codecName + " payload type or parameters differ from the "
                    + "sender's (payload type " + Codecs.payloadType(codecName) + "). Let this session make the "
                    + "offer (negotiate()) instead");
        }
        throw new IllegalArgumentException("session '" + session + "': no common " + kind + " codec: sender '"
                + sender + "' sends " + codecName + " but " + what + " has " + (accepted.isEmpty() ? "no " + kind
                + " section" : accepted) + "; send a codec the peer accepts (browsers take H264, VP8, VP9 and Opus)");
    }
}
