package dev.packetstream.samples;

import dev.packetstream.av.FfmpegLogLevel;
import dev.packetstream.av.MediaInputException;
import dev.packetstream.av.RecordingException;
import dev.packetstream.samples.common.SampleException;
import dev.packetstream.samples.detect.DetectCommand;
import dev.packetstream.samples.recorder.BrowserToRecorderCommand;
import dev.packetstream.samples.relay.RelayCommand;
import dev.packetstream.samples.webcam.WebcamToBrowserCommand;
import dev.packetstream.signaling.SignalingServerException;
import dev.packetstream.webrtc.RtcException;
import dev.packetstream.webrtc.encoded.GstMissingException;
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

    /**
     * The failure in {@code e}'s cause chain that a user can fix from its message alone (a busy
     * port, a missing camera or file, an unwritable folder, libwebrtc's missing system library, GStreamer
     * missing), or
     * null for a bug (printed with its stack trace).
     */
    static Throwable userFixable(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof SampleException || c instanceof MediaInputException || c instanceof RecordingException
                    || c instanceof RtcException || c instanceof SignalingServerException || c instanceof GstMissingException) {
                return c;
            }
        }
        return null;
    }

    private static String hint(Throwable fixable) {
        if (fixable instanceof MediaInputException m && m.getMessage().contains("camera")) {
            return "\n(no camera? run with --test-pattern, or --file <media file>)";
        }
        return "";
    }

    /** Runs the command line and exits the JVM with its code. */
    public static void main(String[] args) {
        // the samples are an application: FFmpeg says errors only (no stream listing at start-up)
        FfmpegLogLevel.ERROR.apply();
        System.exit(commandLine().execute(args));
    }

    /** The command line, with errors a user can fix printed as one clear message (no stack trace). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Samples());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            Throwable fixable = userFixable(e);
            if (fixable != null) {
                commandLine.getErr().println("error: " + fixable.getMessage() + hint(fixable));
                commandLine.getErr().flush();
                return 2;
            }
            throw e;
        });
        return cl;
    }
}
