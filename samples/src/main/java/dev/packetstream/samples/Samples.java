package dev.packetstream.samples;

import dev.packetstream.samples.common.SampleException;
import dev.packetstream.samples.detect.DetectCommand;
import dev.packetstream.samples.recorder.BrowserToRecorderCommand;
import dev.packetstream.samples.relay.RelayCommand;
import dev.packetstream.samples.webcam.WebcamToBrowserCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The samples' command line: one subcommand per sample. {@code java -jar samples/target/samples.jar --help}
 * lists them; {@code <sample> --help} explains one.
 */
@Command(name = "samples", mixinStandardHelpOptions = true, usageHelpWidth = 110, version = "PacketStream samples 0.1.0",
        description = {
            "PacketStream for Java: runnable samples. Each starts an embedded signaling server, prints the URL",
            "to open in a browser, shows a one-line live status, and stops cleanly on Ctrl-C."},
        subcommands = {WebcamToBrowserCommand.class, BrowserToRecorderCommand.class, RelayCommand.class, DetectCommand.class})
public final class Samples implements Runnable {

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** Runs the command line and exits the JVM with its code. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, with errors a user can fix printed as one clear message (no stack trace). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Samples());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof SampleException) {
                commandLine.getErr().println("error: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cl;
    }
}
