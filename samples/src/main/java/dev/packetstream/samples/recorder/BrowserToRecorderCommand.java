package dev.packetstream.samples.recorder;

import dev.packetstream.av.Container;
import dev.packetstream.core.media.FrameSize;
import dev.packetstream.samples.common.FrameSizeConverter;
import dev.packetstream.samples.common.SampleRunner;
import dev.packetstream.samples.common.ServerOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code samples browser-to-recorder}: see {@link BrowserToRecorder}. */
@Command(name = "browser-to-recorder", mixinStandardHelpOptions = true, usageHelpWidth = 110, sortOptions = false,
        header = "Records each browser that opens the recorder page to its own WebM/MKV/MP4 file.",
        description = {
            "Records browsers: open the printed recorder page, press Start, and the browser's camera and",
            "microphone are recorded to their own file (WebM by default) in the recordings folder. The file",
            "is finalized when the page stops, leaves or disconnects, or when this program stops (Ctrl-C).",
            "",
            "By default the browser's encoded video and audio are written as they arrive (remux: no decoding, no",
            "encoding, the browser's resolution): VP8 + Opus in WebM and MKV, H.264 + Opus in MP4. GStreamer webrtcbin.",
            "",
            "  EncodedTrackReceiver -> AsyncPacketQueue -> MultiplexPacketEncoder (one per browser session)",
            "",
            "--transcode: decode and encode again instead (libwebrtc), scaled to --size: VP8 + Opus, or H.264 + AAC for",
            "MP4. One size in the file, about ten times the CPU.",
            "",
            "  WebRtcTrackReceiver -> AsyncPacketQueue -> MultiplexPacketEncoder (decoded frames in, encoder inside)"})
public final class BrowserToRecorderCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ServerOptions server = new ServerOptions();

    @Option(names = "--recordings", defaultValue = "recordings", paramLabel = "DIR",
            description = "Folder for the files (created if missing). Default: ${DEFAULT-VALUE}.")
    Path folder;

    @Option(names = "--format", defaultValue = "WEBM",
            description = "Container: WEBM (VP8 + Opus), MKV (VP8 + Opus), MP4 (H.264 + Opus; + AAC with --transcode; fragmented). Default: ${DEFAULT-VALUE}.")
    Container container;

    @Option(names = "--size", defaultValue = "1280x720", converter = FrameSizeConverter.class,
            description = "With --transcode: recorded frame size, WIDTHxHEIGHT (browsers start low and adapt their resolution, every frame is scaled to this). Default: ${DEFAULT-VALUE}.")
    FrameSize size;

    @Option(names = "--transcode", description = "Decode and encode again (libwebrtc) at --size instead of writing the browser's encoded media as it is.")
    boolean transcode;

    @Override
    public Integer call() {
        BrowserToRecorder sample = transcode ? BrowserToRecorder.startTranscoding(server, folder, container, size)
                : BrowserToRecorder.start(server, folder, container);
        return SampleRunner.announceAndRun(sample, spec.commandLine().getOut(),
                "browser-to-recorder: " + container + " files " + (transcode ? "transcoded to " + size : "remuxed (the browser's own encoding)")
                        + " in " + sample.folder(),
                "open this page in a browser:  " + sample.recorderPage());
    }
}
