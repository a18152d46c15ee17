package dev.packetstream.webrtc.encoded;

import dev.packetstream.core.media.VideoCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a session connects: ICE (loopback only, STUN/TURN, UDP port range), the receive jitter
 * buffer, the video codecs it accepts when receiving, and how long a negotiation may take.
 * Immutable; made by {@link #builder()}.
 *
 * @param loopbackOnly     gather only 127.0.0.1 (tests and same-host peers); remote mDNS
 *                         ({@code .local}) candidates are ignored, since the ICE agent (libnice)
 *                         cannot resolve them: start Chromium with
 *                         {@code --disable-features=WebRtcHideLocalIpsWithMdns}
 * @param stunServer       {@code stun://host:port}, or null
 * @param turnServer       {@code turn://user:password@host:port}, or null
 * @param minPort          lowest local UDP port, 0 for any
 * @param maxPort          highest local UDP port, 0 for any
 * @param latency          the receive jitter buffer's depth (NACK/RTX needs some)
 * @param videoCodecs      the video codecs accepted when receiving, preferred first
 * @param negotiationTimeout how long an offer waits for its answer, and a new track for its first packet
 * @param transportFeedback whether receive transceivers negotiate transport-wide congestion control
 *                         feedback (TWCC), so that a browser's bandwidth estimate ramps up quickly and
 *                         it sends its camera's full size sooner. Off by default: with it a Chromium
 *                         publisher's frames reached the receiver incompletely in
 *                         {@code RemuxRecorderTest} (147 of 170, 141 of 167). Cause, found on 2 Dec 2026:
 *                         the jitter buffers' per-packet retransmission timer (GStreamer's
 *                         {@code rtx-next-seqnum}), which asks for packets the browser's pacer sends
 *                         later than predicted (presumably declaring some lost, so that the depayloader
 *                         drops to the next keyframe: not traced); with it off (now always) and TWCC on the test kept
 *                         every frame in 5 runs (149/149 .. 184/183), with it on and TWCC on 144/151
 *                         and 175/186. Turning TWCC on by default is still to be decided
 * @param audioPacketTime  the audio packet duration asked of the peer ({@code a=ptime} in our
 *                         descriptions' audio sections), or null to leave it to the peer (browsers
 *                         send 20 ms Opus packets). Longer packets mean fewer packets to receive:
 *                         each costs the receive path the same whatever its length (see the README)
 */
public record EncodedSessionConfig(boolean loopbackOnly, String stunServer, String turnServer, int minPort, int maxPort,
                                   Duration latency, List<VideoCodec> videoCodecs, Duration negotiationTimeout,
                                   boolean transportFeedback, Duration audioPacketTime) {

    public EncodedSessionConfig {
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(negotiationTimeout, "negotiationTimeout");
        videoCodecs = List.copyOf(videoCodecs);
        if (videoCodecs.isEmpty()) {
            throw new IllegalArgumentException("accept at least one video codec (H264, VP8 or VP9)");
        }
        if (videoCodecs.contains(VideoCodec.AV1)) {
            throw new IllegalArgumentException("AV1 is not supported by webrtc-encoded (GStreamer 1.22 has no AV1 RTP "
                    + "payloader in the Debian packages); use H264, VP8 or VP9");
        }
        if (minPort < 0 || maxPort < minPort || maxPort > 65535) {
            throw new IllegalArgumentException("UDP port range " + minPort + ".." + maxPort + " is not valid");
        }
        if (audioPacketTime != null && (audioPacketTime.toMillis() < 10 || audioPacketTime.toMillis() > 120
                || audioPacketTime.toMillis() % 10 != 0 || audioPacketTime.toNanos() % 1_000_000 != 0)) {
            throw new IllegalArgumentException("audio packet time " + audioPacketTime.toMillis() + " ms is not one Opus"
                    + " can send: 10 to 120 ms in steps of 10 (browsers take 10, 20, 40, 60 or 120)");
        }
    }

    /** Defaults: any address, no STUN/TURN, 100 ms jitter buffer, H.264 then VP8 then VP9, 10 s negotiation. */
    public static EncodedSessionConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds an {@link EncodedSessionConfig}. */
    public static final class Builder {
        private boolean loopbackOnly;
        private String stunServer;
        private String turnServer;
        private int minPort;
        private int maxPort;
        private Duration latency = Duration.ofMillis(100);
        private boolean transportFeedback;
        private Duration audioPacketTime;
        private final List<VideoCodec> videoCodecs = new ArrayList<>();
        private Duration negotiationTimeout = Duration.ofSeconds(10);

        private Builder() {
        }

        /** Gather only 127.0.0.1 (see the record's description). */
        public Builder loopbackOnly(boolean on) {
            this.loopbackOnly = on;
            return this;
        }

        public Builder stunServer(String url) {
            this.stunServer = url;
            return this;
        }

        public Builder turnServer(String url) {
            this.turnServer = url;
            return this;
        }

        public Builder udpPortRange(int min, int max) {
            this.minPort = min;
            this.maxPort = max;
            return this;
        }

        public Builder latency(Duration d) {
            this.latency = d;
            return this;
        }

        /** Video codecs accepted when receiving, preferred first (replaces the default list). */
        public Builder videoCodecs(VideoCodec... codecs) {
            videoCodecs.clear();
            videoCodecs.addAll(List.of(codecs));
            return this;
        }

        /** Negotiates TWCC feedback on receive transceivers (see the record's {@code transportFeedback}). */
        public Builder transportFeedback(boolean on) {
            this.transportFeedback = on;
            return this;
        }

        /**
         * Asks the peer for audio packets of {@code d} ({@code a=ptime}; see the record's
         * {@code audioPacketTime}); null leaves it to the peer.
         */
        public Builder audioPacketTime(Duration d) {
            this.audioPacketTime = d;
            return this;
        }

        public Builder negotiationTimeout(Duration d) {
            this.negotiationTimeout = d;
            return this;
        }

        public EncodedSessionConfig build() {
            List<VideoCodec> v = videoCodecs.isEmpty() ? List.of(VideoCodec.H264, VideoCodec.VP8, VideoCodec.VP9) : videoCodecs;
            return new EncodedSessionConfig(loopbackOnly, stunServer, turnServer, minPort, maxPort, latency, v,
                    negotiationTimeout, transportFeedback, audioPacketTime);
        }
    }
}
