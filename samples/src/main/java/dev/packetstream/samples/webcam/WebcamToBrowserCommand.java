package dev.packetstream.samples.webcam;

import dev.packetstream.samples.common.EncodedBroadcast;
import dev.packetstream.samples.common.RunningSample;
import dev.packetstream.samples.common.SampleRunner;
import dev.packetstream.samples.common.ServerOptions;
import dev.packetstream.samples.common.SourceOptions;
import dev.packetstream.samples.common.WebRtcOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import java.net.URI;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code samples webcam-to-browser}: see {@link WebcamToBrowser}. */
@Command(name = "webcam-to-browser", mixinStandardHelpOptions = true, usageHelpWidth = 110, sortOptions = false,
        header = "Camera (or test pattern, or file) with audio to every viewer page. The main job.",
        description = {
            "Streams the camera (or the built-in test pattern when there is no camera, or a file) with audio",
            "to every browser that opens the printed viewer URL. libwebrtc encodes (VP8 by default).",
            "",
            "  MediaCapture -> VideoConverter(I420, --size) -> one WebRtcTrackSender per viewer page",
            "",
            "--encode-once: one encoder for every viewer instead (GStreamer webrtcbin; VP8 or H.264 with --codec,",
            "Opus, at --max-bitrate):",
            "",
            "  MediaCapture -> VideoConverter -> VideoPacketEncoder + Opus -> EncodedFanout -> one EncodedTrackSender per viewer",
            "",
            "  The trade-off: the CPU no longer grows with the viewers (a viewer costs a queue and RTP packetization,",
            "  not an encoder), but every viewer gets the same bitrate and resolution. Without it, libwebrtc's",
            "  congestion control adapts each viewer's encoder to that viewer's bandwidth; with it, a viewer whose",
            "  link cannot carry --max-bitrate loses packets (repaired by NACK/RTX while it can) and, when its queue",
            "  fills, drops to the next keyframe. Choose it for many viewers on good links.",
            "",
            "Open the URL in Chrome, Chromium or Firefox; open it in several tabs for several viewers.",
            "Ctrl-C stops: sessions and the native runtime are closed and the program exits."})
public final class WebcamToBrowserCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ServerOptions server = new ServerOptions();

    @Mixin
    SourceOptions source = new SourceOptions();

    @Mixin
    WebRtcOptions rtc = new WebRtcOptions();

    @Option(names = "--encode-once",
            description = "One encoder for every viewer (same bitrate for all, no per-viewer congestion control; see above).")
    boolean encodeOnce;

    @Override
    public Integer call() {
        RunningSample sample;
        URI page;
        if (encodeOnce) {
            EncodedBroadcast b = EncodedBroadcast.start("webcam-to-browser", "publisher", server, source, rtc);
            sample = b;
            page = b.viewerPage();
        } else {
            WebcamToBrowser w = WebcamToBrowser.start(server, source, rtc);
            sample = w;
            page = w.viewerPage();
        }
        return SampleRunner.announceAndRun(sample, spec.commandLine().getOut(),
                "webcam-to-browser: streaming " + source.describe() + " at " + source.size + ", " + source.fps + " fps"
                        + (encodeOnce ? ", encoded once (" + rtc.codec + " " + rtc.maxBitrateKbps + " kbit/s + Opus) for every viewer" : ""),
                "open this page in a browser:  " + page);
    }
}
