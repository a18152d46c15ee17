package dev.packetstream.samples.relay;

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

/** {@code samples relay}: see {@link Relay}. */
@Command(name = "relay", mixinStandardHelpOptions = true, usageHelpWidth = 110, sortOptions = false,
        header = "One publisher (browser or test pattern) relayed to many viewers.",
        description = {
            "Relays one publisher to many viewers: a browser publisher page (--browser-publisher) or the Java",
            "test pattern (default) is decoded once and fanned out to one WebRTC sender per viewer page.",
            "Viewers join and leave at any time without disturbing the others.",
            "",
            "  publisher -> WebRtcTrackReceiver -> ingress -> fan-out -> one WebRtcTrackSender per viewer"})
public final class RelayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ServerOptions server = new ServerOptions();

    @Option(names = "--browser-publisher", description = "Relay a browser that opens the printed publisher page instead of a Java source.")
    boolean browserPublisher;

    @Mixin
    SourceOptions source = new SourceOptions();

    @Mixin
    WebRtcOptions rtc = new WebRtcOptions();

    @Override
    public Integer call() {
        if (!browserPublisher && source.file == null && source.camera == null) {
            source.testPattern = true;
        }
        source.noAudio = true;
        Relay sample = Relay.start(server, source, browserPublisher, rtc);
        var out = spec.commandLine().getOut();
        if (sample.browserPublisher()) {
            out.println("relay: publish a browser camera from  " + sample.publisherPage());
        } else {
            out.println("relay: relaying " + source.describe() + " at " + source.size);
        }
        out.println("open this page in a browser:  " + sample.viewerPage());
        out.println("(open it in as many tabs or browsers as you like: each is a viewer)");
        out.println("press Ctrl-C to stop");
        out.flush();
        return SampleRunner.runUntilStopped(sample, System.out);
    }
}
