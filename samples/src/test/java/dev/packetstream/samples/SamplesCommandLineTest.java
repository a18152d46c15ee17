package dev.packetstream.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.packetstream.core.media.FrameSize;
import dev.packetstream.samples.common.EmbeddedServer;
import dev.packetstream.samples.common.SampleException;
import dev.packetstream.samples.common.ServerOptions;
import dev.packetstream.signaling.ErrorCode;
import dev.packetstream.signaling.SignalingClient;
import dev.packetstream.signaling.SignalingLimits;
import dev.packetstream.signaling.SignalingServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
        assertThat(run(exit, "webcam-to-browser", "--help")).contains("--encode-once", "congestion control", "same bitrate");
        assertThat(run(exit, "browser-to-recorder", "--help")).contains("recordings folder", "--format", "MP4", "--transcode", "remux");
        assertThat(run(exit, "relay", "--help")).contains("--browser-publisher", "viewer", "audio", "--transcode", "--max-peers",
                "--max-connections-per-address", "HTTP 429");
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

    @Test
    void theConnectionsPerAddressLimitStaysAtTheServersDefaultUnlessRaisedAndTheServerEnforcesTheGivenOne() throws Exception {
        ServerOptions defaults = new ServerOptions();
        new CommandLine(defaults).parseArgs();
        assertThat(defaults.maxConnectionsPerAddress).isEqualTo(SignalingLimits.defaults().maxConnectionsPerAddress());

        ServerOptions options = new ServerOptions();
        new CommandLine(options).parseArgs("--port", "0", "--room", "limit", "--max-connections-per-address", "2");
        try (SignalingServer server = EmbeddedServer.start(options)) {
            List<SignalingClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    SignalingClient c = SignalingClient.builder(server.webSocketUri()).room("limit").role("viewer").build();
                    clients.add(c);
                    c.connect().get(10, TimeUnit.SECONDS);
                }
                SignalingClient third = SignalingClient.builder(server.webSocketUri()).room("limit").role("viewer").build();
                clients.add(third);
                assertThatThrownBy(() -> third.connect().get(10, TimeUnit.SECONDS)).hasMessageContaining("429");
                assertThat(server.figures().rejected(ErrorCode.TOO_MANY_CONNECTIONS)).isEqualTo(1);
            } finally {
                clients.forEach(SignalingClient::close); // before the server stops: no reconnect attempts
            }
        }
    }
}
