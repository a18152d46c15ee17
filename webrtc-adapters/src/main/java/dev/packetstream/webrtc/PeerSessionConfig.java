package dev.packetstream.webrtc;

import dev.onvoid.webrtc.PortAllocatorConfig;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceServer;
import dev.packetstream.core.peer.IceCandidate;
import dev.packetstream.core.media.VideoCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * How a {@link PeerSession} connects: ICE servers, a UDP port range, codec preferences, and what
 * to do with local candidates before they are signalled. Immutable; make one with
 * {@link #builder()}.
 *
 * <pre>{@code
 * PeerSessionConfig config = PeerSessionConfig.builder()
 *     .iceServer(IceServer.stun("stun:stun.example.org:3478"))
 *     .iceServer(IceServer.turn("turn:turn.example.org:3478", "user", "secret"))
 *     .udpPortRange(40000, 40100)
 *     .videoCodecs(VideoCodec.H264, VideoCodec.VP8)
 *     .build();
 * }</pre>
 */
public final class PeerSessionConfig {
    private final List<IceServer> iceServers;
    private final int minPort;
    private final int maxPort;
    private final List<VideoCodec> videoCodecs;
    private final boolean loopbackOnly;
    private final UnaryOperator<IceCandidate> candidateFilter;

    private PeerSessionConfig(Builder b) {
        this.iceServers = List.copyOf(b.iceServers);
        this.minPort = b.minPort;
        this.maxPort = b.maxPort;
        this.videoCodecs = List.copyOf(b.videoCodecs);
        this.loopbackOnly = b.loopbackOnly;
        this.candidateFilter = b.candidateFilter;
    }

    /** No ICE servers, any port, libwebrtc's codec order. */
    public static PeerSessionConfig defaults() {
        return builder().build();
    }

    /**
     * Host candidates on 127.0.0.1 only (no STUN, TURN or TCP): for two sessions in one machine,
     * e.g. tests. Sockets bind to the any-address and candidates are signalled as 127.0.0.1.
     */
    public static PeerSessionConfig loopback() {
        return builder().loopbackOnly(true).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<IceServer> iceServers() {
        return iceServers;
    }

    /** The lowest UDP port, or 0 for any. */
    public int minPort() {
        return minPort;
    }

    /** The highest UDP port, or 0 for any. */
    public int maxPort() {
        return maxPort;
    }

    /** Video codecs in order of preference; empty for libwebrtc's own order. */
    public List<VideoCodec> videoCodecs() {
        return videoCodecs;
    }

    public boolean loopbackOnly() {
        return loopbackOnly;
    }

    /** Applied to each local candidate before it is signalled; returning null drops it. */
    public UnaryOperator<IceCandidate> candidateFilter() {
        return candidateFilter;
    }

    /** A builder of {@link PeerSessionConfig}. */
    /** libwebrtc's configuration for a peer connection with these settings. */
    RTCConfiguration toRtcConfiguration() {
        RTCConfiguration c = new RTCConfiguration();
        for (IceServer s : iceServers()) {
            RTCIceServer r = new RTCIceServer();
            r.urls.addAll(s.urls());
            r.username = s.username();
            r.password = s.credential();
            c.iceServers.add(r);
        }
        PortAllocatorConfig p = new PortAllocatorConfig();
        p.minPort = minPort();
        p.maxPort = maxPort();
        if (loopbackOnly()) {
            p.setDisableStun(true).setDisableRelay(true).setDisableTcp(true).setDisableAdapterEnumeration(true);
        }
        c.portAllocatorConfig = p;
        return c;
    }

    public static final class Builder {
        private final List<IceServer> iceServers = new ArrayList<>();
        private int minPort;
        private int maxPort;
        private final List<VideoCodec> videoCodecs = new ArrayList<>();
        private boolean loopbackOnly;
        private UnaryOperator<IceCandidate> candidateFilter = UnaryOperator.identity();

        private Builder() {
        }

        /** Adds a STUN or TURN server. */
        public Builder iceServer(IceServer server) {
            iceServers.add(server);
            return this;
        }

        /** Restricts local UDP ports to {@code [min, max]}. */
        public Builder udpPortRange(int min, int max) {
            if (min < 1 || max > 65535 || min > max) {
                throw new IllegalArgumentException("UDP port range must satisfy 1 <= min <= max <= 65535, was " + min + "-" + max);
            }
            this.minPort = min;
            this.maxPort = max;
            return this;
        }

        /**
         * Video codecs in order of preference: they are put first in every video transceiver's
         * codec list (the others stay, after them, so that a peer without them still connects).
         */
        public Builder videoCodecs(VideoCodec... preferred) {
            videoCodecs.clear();
            videoCodecs.addAll(List.of(preferred));
            return this;
        }

        /** See {@link PeerSessionConfig#loopback()}. */
        public Builder loopbackOnly(boolean on) {
            this.loopbackOnly = on;
            return this;
        }

        /** Rewrites or drops (null) local candidates before they are signalled. */
        public Builder candidateFilter(UnaryOperator<IceCandidate> filter) {
            this.candidateFilter = filter == null ? UnaryOperator.identity() : filter;
            return this;
        }

        public PeerSessionConfig build() {
            return new PeerSessionConfig(this);
        }
    }
}
