package dev.packetstream.samples.common;

import dev.packetstream.core.media.VideoCodec;
import dev.packetstream.webrtc.PeerSessionConfig;
import picocli.CommandLine.Option;

/** How the Java side encodes for viewers (libwebrtc encodes: these are its settings). */
public final class WebRtcOptions {
    @Option(names = "--codec", defaultValue = "VP8", description = "Preferred video codec: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    public VideoCodec codec;

    @Option(names = "--max-bitrate", defaultValue = "2500", paramLabel = "KBPS", description = "Video bitrate cap per viewer, kbit/s. Default: ${DEFAULT-VALUE}.")
    public int maxBitrateKbps;

    @Option(names = "--min-bitrate", defaultValue = "600", paramLabel = "KBPS",
            description = "Video bitrate floor per viewer while the bandwidth estimate ramps up, kbit/s (0: libwebrtc decides). Default: ${DEFAULT-VALUE}.")
    public int minBitrateKbps;

    public PeerSessionConfig sessionConfig(boolean loopback) {
        return PeerSessionConfig.builder().loopbackOnly(loopback).videoCodecs(codec).build();
    }

    public ViewerLink.Media media(boolean audio, double fps) {
        return new ViewerLink.Media(audio, minBitrateKbps * 1000, maxBitrateKbps * 1000, fps);
    }
}
