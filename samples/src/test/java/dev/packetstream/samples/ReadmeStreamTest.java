package dev.packetstream.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.packetstream.av.MediaCapture;
import dev.packetstream.av.VideoConverter;
import dev.packetstream.core.AttachOption;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.media.RawVideoFrame;
import dev.packetstream.core.peer.Signaller;
import dev.packetstream.core.peer.InMemorySignaller;
import dev.packetstream.webrtc.PeerSession;
import dev.packetstream.webrtc.PeerSessionConfig;
import dev.packetstream.webrtc.RtcRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The top README's "A stream, in code" is this test's code: the test runs it against a viewer
 * session in the same process, and checks that the README shows exactly the lines between the
 * {@code README:begin} and {@code README:end} markers (without the {@code pause}..{@code resume}
 * part, which holds the test's assertions).
 */
class ReadmeStreamTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Path THIS_SOURCE = Path.of("src", "test", "java", "dev", "packetstream", "samples",
            "ReadmeStreamTest.java");
    private static final String README_SECTION = "## A stream, in code";

    @Test
    void theReadmeStreamSendsTheTestPatternToAViewer() throws Exception {
        InMemorySignaller.Pair link = InMemorySignaller.pair();
        Signaller signaller = link.a();
        PeerSessionConfig config = PeerSessionConfig.loopback();
        AtomicLong viewed = new AtomicLong();
        try (RtcRuntime viewerRtc = new RtcRuntime("viewer");
             PacketStream received = new PacketStream("from-publisher")) {
            PeerSession viewer = viewerRtc.newSession("publisher", config, link.b());
            received.attachSource(viewer.newReceiver("remote"), AttachOption.SYNC_STATE);
            received.addSink("count", p -> {
                if (p instanceof RawVideoFrame) {
                    viewed.incrementAndGet();
                }
            });
            received.start();

            // README:begin
            try (RtcRuntime rtc = new RtcRuntime("publisher");
                 PacketStream stream = new PacketStream("webcam")) {
                PeerSession session = rtc.newSession("viewer-1", config, signaller);
                stream.attachSource(MediaCapture.testPattern().size(1280, 720).fps(30).audio(true).build(),
                        AttachOption.SYNC_STATE, AttachOption.CLOSE_WITH_STREAM);
                stream.attach(new VideoConverter("to-size", 1280, 720), 10);          // any format/size → I420
                stream.attach(session.newSender("cam").video(true).audio(true).build(), 20);
                stream.start();
                session.negotiate().get(10, TimeUnit.SECONDS);
                // ... stream.describe() prints the topology with each stage's figures
                // README:pause
                await().atMost(Duration.ofSeconds(20)).until(() -> viewed.get() >= 10);
                assertThat(stream.describe()).contains("'to-size'").contains("'cam'");
                // README:resume
            }
            // README:end
        }
    }

    @Test
    void theReadmeShowsTheCodeThisTestRuns() throws IOException {
        List<String> source = Files.readAllLines(THIS_SOURCE);
        List<String> shown = new ArrayList<>();
        boolean in = false;
        boolean paused = false;
        for (String line : source) {
            String t = line.trim();
            if (t.equals("// README:begin")) {
                in = true;
            } else if (t.equals("// README:end")) {
                in = false;
            } else if (t.equals("// README:pause")) {
                paused = true;
            } else if (t.equals("// README:resume")) {
                paused = false;
            } else if (in && !paused) {
                shown.add(line);
            }
        }
        int indent = shown.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min()
                .orElse(0);
        List<String> expected = shown.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList();

        assertThat(expected).as("lines between the markers").isNotEmpty();
        assertThat(readmeBlock()).as("the java block under '%s' in %s", README_SECTION, README).isEqualTo(expected);
    }

    /** The first java code block after the section heading. */
    private static List<String> readmeBlock() throws IOException {
        List<String> readme = Files.readAllLines(README);
        int at = readme.indexOf(README_SECTION);
        assertThat(at).as("section '%s' in %s", README_SECTION, README).isNotNegative();
        int open = at + 1;
        while (!readme.get(open).equals("```java")) {
            open++;
        }
        int close = open + 1;
        while (!readme.get(close).equals("```")) {
            close++;
        }
        return readme.subList(open + 1, close);
    }
}
