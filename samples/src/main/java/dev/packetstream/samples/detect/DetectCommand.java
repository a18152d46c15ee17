package dev.packetstream.samples.detect;

import dev.packetstream.samples.common.SampleRunner;
import dev.packetstream.samples.common.ServerOptions;
import dev.packetstream.samples.common.SourceOptions;
import dev.packetstream.samples.common.WebRtcOptions;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code samples detect}: see {@link Detect}. */
@Command(name = "detect", mixinStandardHelpOptions = true, usageHelpWidth = 110, sortOptions = false,
        header = "Branch topology: delivery to viewers + a drop-stale motion detector whose events are drawn on the page.",
        description = {
            "Branch topology: the decoded ingress (Java test pattern, or a browser publisher) feeds a",
            "delivery branch to the viewer pages and a detect branch (every Nth frame -> AsyncPacketQueue that",
            "drops stale frames -> motion detector on the luma plane). Motion events reach the viewer pages",
            "as application events, drawn over the video. A slow detector never slows delivery.",
            "",
            "  ingress -+-> delivery -> one WebRtcTrackSender per viewer",
            "           +-> detect -> sampler -> AsyncPacketQueue(1, drop oldest) -> MotionDetector -> events"})
public final class DetectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ServerOptions server = new ServerOptions();

    @Option(names = "--browser-publisher", description = "Analyse a browser that opens the printed publisher page instead of a Java source.")
    boolean browserPublisher;

    @Mixin
    SourceOptions source = new SourceOptions();

    @Mixin
    WebRtcOptions rtc = new WebRtcOptions();

    @Option(names = "--sample-every", defaultValue = "3", description = "Analyse every Nth frame. Default: ${DEFAULT-VALUE}.")
    int sampleEvery;

    @Option(names = "--detector-delay-ms", defaultValue = "0",
            description = "Make the detector take at least this long per frame (shows that delivery does not slow down). Default: ${DEFAULT-VALUE}.")
    int detectorDelayMs;

    @Option(names = "--min-changed", defaultValue = "0.01", description = "Share of the frame that must change for a motion event. Default: ${DEFAULT-VALUE}.")
    double minChanged;

    @Option(names = "--no-detect", description = "Run without the detect branch (for comparison).")
    boolean noDetect;

    @Override
    public Integer call() {
        if (!browserPublisher && source.file == null && source.camera == null) {
            source.testPattern = true;
        }
        source.noAudio = true;
        Detect sample = Detect.start(server, source, browserPublisher, rtc,
                new Detect.Settings(!noDetect, sampleEvery, Duration.ofMillis(detectorDelayMs), minChanged));
        String what = sample.browserPublisher() ? "detect: publish a browser camera from  " + sample.publisherPage()
                : "detect: analysing " + source.describe() + " at " + source.size;
        return SampleRunner.announceAndRun(sample, spec.commandLine().getOut(), what,
                "open this page in a browser:  " + sample.viewerPage());
    }
}
