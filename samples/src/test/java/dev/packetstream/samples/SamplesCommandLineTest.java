package dev.packetstream.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.packetstream.core.media.FrameSize;
import dev.packetstream.samples.common.EmbeddedServer;
import dev.packetstream.samples.common.SampleException;
import dev.packetstream.samples.common.ServerOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SamplesCommandLineTest {

    private static String run(int[] exit, String... args) {
        CommandLine cl = Samples.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(out));
        exit[0] = cl.execute(args);
        return out.toString();
    }

    @Test
    void helpListsEverySample() {
        int[] exit = new int[1];
        String help = run(exit, "--help");
        assertThat(exit[0]).isZero();
        assertThat(help).contains("webcam-to-browser", "browser-to-recorder", "relay", "detect");
    }

    @Test
    void eachSamplesHelpExplainsItAndListsItsOptions() {
        int[] exit = new int[1];
        assertThat(run(exit, "webcam-to-browser", "--help")).contains("test pattern", "--size", "--codec", "--port");
        assertThat(run(exit, "browser-to-recorder", "--help")).contains("recordings folder", "--format", "MP4");
        assertThat(run(exit, "relay", "--help")).contains("--browser-publisher", "viewer");
        assertThat(run(exit, "detect", "--help")).contains("--detector-delay-ms", "--sample-every", "AsyncPacketQueue");
    }

    @Test
    void aMalformedSizeIsRefusedWithAMessageThatShowsTheExpectedForm() {
        int[] exit = new int[1];
        String out = run(exit, "webcam-to-browser", "--size", "640by480");
        assertThat(exit[0]).isEqualTo(2);
        assertThat(out).contains("WIDTHxHEIGHT");
    }

    @Test
    void aMissingCameraIsReportedWithWhatToDoInsteadOfAStackTrace() {
        int[] exit = new int[1];
        String out = run(exit, "webcam-to-browser", "--port", "0", "--camera", "/dev/video-that-is-not-there");
        assertThat(exit[0]).isEqualTo(2);
        assertThat(out).contains("error: camera /dev/video-that-is-not-there not found", "--test-pattern").doesNotContain("\tat ");
    }

    @Test
    void frameSizesParseAndOddSizesAreRefused() {
        assertThat(FrameSize.parse("1280x720")).isEqualTo(new FrameSize(1280, 720));
        assertThatThrownBy(() -> FrameSize.parse("641x480")).hasMessageContaining("even");
    }

    @Test
    void aBusyPortIsReportedWithWhatToDo() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> EmbeddedServer.start(ServerOptions.of(busy.getLocalPort(), "busy", true)))
                    .isInstanceOf(SampleException.class)
                    .hasMessageContaining("is busy")
                    .hasMessageContaining("--port");
        }
    }
}
