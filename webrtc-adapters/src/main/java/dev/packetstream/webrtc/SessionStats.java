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
    public Optional<RtpStreamStats> stream(StreamDirection direction, MediaKind kind) {
        return streams.stream().filter(s -> s.direction() == direction && s.kind() == kind).findFirst();
    }

    public Optional<RtpStreamStats> outboundVideo() {
        return stream(StreamDirection.OUTBOUND, MediaKind.VIDEO);
    }

    public Optional<RtpStreamStats> inboundVideo() {
        return stream(StreamDirection.INBOUND, MediaKind.VIDEO);
    }

    public Optional<RtpStreamStats> outboundAudio() {
        return stream(StreamDirection.OUTBOUND, MediaKind.AUDIO);
    }

    public Optional<RtpStreamStats> inboundAudio() {
        return stream(StreamDirection.INBOUND, MediaKind.AUDIO);
    }
}
