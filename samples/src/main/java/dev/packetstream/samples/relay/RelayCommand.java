package dev.packetstream.samples.relay;

import dev.packetstream.samples.common.EncodedBroadcast;
import dev.packetstream.samples.common.RoomSample;
import dev.packetstream.samples.common.SampleRunner;
import dev.packetstream.samples.common.ServerOptions;
import dev.packetstream.samples.common.SourceOptions;
import dev.packetstream.samples.common.WebRtcOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code samples relay}: see {@link EncodedBroadcast} (default) and {@link TranscodingRelay} ({@code --transcode}). */
@Command(name = "relay", mixinStandardHelpOptions = true, usageHelpWidth = 110, sortOptions = false,
        header = "One publisher (browser or test pattern) relayed to many viewers, with audio.",
        description = {
            "Relays one publisher to many viewers, video and audio: a browser publisher page (--browser-publisher)",
            "or the Java test pattern (default). The publisher's encoded packets (VP8 or H.264 + Opus) go to every",
            "viewer as they are: nothing is decoded or encoded in Java (the test pattern is encoded once).",
            "Each viewer has its own session and bounded queue: a slow viewer drops to the next keyframe and",
            "never slows the others. Viewers join and leave at any time. Runs on GStreamer's webrtcbin.",
            "",
            "  publisher -> EncodedTrackReceiver -> EncodedFanout -> one EncodedTrackSender per viewer page",
            "",
            "--transcode: the libwebrtc relay instead (decode once, one encoder per viewer, video only): each",
            "viewer's bitrate follows its own bandwidth estimate, and --codec may differ from the publisher's,",
            "at the cost of an encoder per viewer (about a dozen 480p30 viewers on 2 cores, against 100+)."})
public final class RelayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ServerOptions server = new ServerOptions();

    @Option(names = "--browser-publisher", description = "Relay a browser that opens the printed publisher page instead of a Java source.")
    boolean browserPublisher;

    @Option(names = "--transcode",
            description = "Decode the publisher once and encode per viewer with libwebrtc (per-viewer congestion control, video only).")
    boolean transcode;

    @Mixin
    SourceOptions source = new SourceOptions();

    @Mixin
    WebRtcOptions rtc = new WebRtcOptions();

    @Override
    public Integer call() {
        if (!browserPublisher && source.file == null && source.camera == null) {
            source.testPattern = true;
        }
        RoomSample sample;
        if (transcode) {
            source.noAudio = true;
            sample = TranscodingRelay.start(server, source, browserPublisher, rtc);
        } else {
            sample = EncodedBroadcast.start("relay", "relay", server, browserPublisher ? null : source, rtc);
        }
        String how = transcode ? "decoded once, encoded per viewer" : "encoded packets relayed as they are";
        String what = browserPublisher ? "relay (" + how + "): publish a browser camera from  " + sample.publisherPage()
                : "relay (" + how + "): relaying " + source.describe() + " at " + source.size;
        return SampleRunner.announceAndRun(sample, spec.commandLine().getOut(), what,
                "open this page in a browser:  " + sample.viewerPage(),
                "(open it in as many tabs or browsers as you like: each is a viewer)");
    }
}
