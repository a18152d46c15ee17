package dev.packetstream.samples.webcam;

import dev.packetstream.samples.common.SampleRunner;
import dev.packetstream.samples.common.ServerOptions;
import dev.packetstream.samples.common.SourceOptions;
import dev.packetstream.samples.common.WebRtcOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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

    @Override
    public Integer call() {
        WebcamToBrowser sample = WebcamToBrowser.start(server, source, rtc);
        var out = spec.commandLine().getOut();
        out.println("webcam-to-browser: streaming " + source.describe() + " at " + source.size + ", " + source.fps + " fps");
        out.println("open this page in a browser:  " + sample.viewerPage());
        out.println("press Ctrl-C to stop");
        out.flush();
        return SampleRunner.runUntilStopped(sample, System.out);
    }
}
