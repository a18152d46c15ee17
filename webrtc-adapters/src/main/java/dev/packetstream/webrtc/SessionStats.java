package dev.packetstream.webrtc;

import java.util.List;
import java.util.Optional;

/**
 * A typed snapshot of a session's statistics ({@link PeerSession#stats()}).
 *
 * @param session        the session's name
 * @param timestampUs    libwebrtc's timestamp of the report
 * @param roundTripTimeMs current round-trip time of the selected candidate pair, or -1 if unknown
 * @param streams        the RTP streams, inbound and outbound
 */
public record SessionStats(String session, long timestampUs, double roundTripTimeMs, List<RtpStreamStats> streams) {
    public SessionStats {
        streams = List.copyOf(streams);
    }

    /** The first stream of this direction and kind. */
    public Optional<RtpStreamStats> stream(String direction, String kind) {
        return streams.stream().filter(s -> s.direction().equals(direction) && s.kind().equals(kind)).findFirst();
    }

    public Optional<RtpStreamStats> outboundVideo() {
        return stream("outbound", "video");
    }

    public Optional<RtpStreamStats> inboundVideo() {
        return stream("inbound", "video");
    }

    public Optional<RtpStreamStats> outboundAudio() {
        return stream("outbound", "audio");
    }

    public Optional<RtpStreamStats> inboundAudio() {
        return stream("inbound", "audio");
    }
}
