package dev.packetstream.webrtc.encoded;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.packetstream.core.media.VideoCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a process sees: the JVM exits by itself after close; missing GStreamer gets a message that says what to install. */
class ProcessLifecycleTest {

    /** Streams VP8 + Opus between two sessions for a moment, closes everything and returns from main. */
    public static final class StreamThenReturn {
        public static void main(String[] args) throws Exception {
            try (EncodedRuntime gst = new EncodedRuntime("child");
                 TestSource source = new TestSource("pattern", VideoCodec.VP8, 160, 120);
                 JavaViewer v = new JavaViewer(gst, "v", VideoCodec.VP8, 150)) {
                v.sender.onKeyframeRequest(r -> source.video.requestKeyframe());
                source.then(v.sender, 50).start();
                v.tx.negotiate().get(15, SECONDS);
                await().atMost(Duration.ofSeconds(15)).until(() -> v.video.get() > 30 && v.audio.get() > 30);
                System.out.println("STREAMED video=" + v.video.get() + " audio=" + v.audio.get());
            }
            System.out.println("CLOSED");
        }
    }

    /** Starts a runtime and prints what it threw. */
    public static final class StartRuntime {
        public static void main(String[] args) {
            try (EncodedRuntime gst = new EncodedRuntime("child")) {
                System.out.println("STARTED " + gst.gstreamerVersion());
            } catch (GstMissingException e) {
                System.out.println("MISSING " + e.getMessage());
                System.exit(3);
            }
        }
    }

    @Test
    void theJvmExitsByItselfAfterEverythingIsClosed() throws Exception {
        ChildJvm.Result r = ChildJvm.run(StreamThenReturn.class, List.of("-Xmx256m"), Map.of(), 60);
        assertThat(r.output()).contains("STREAMED", "CLOSED");
        assertThat(r.exited()).as("the child JVM exited by itself; output:%n%s", r.output()).isTrue();
        assertThat(r.code()).isZero();
    }

    @Test
    void missingWebRtcPluginsAreReportedWithTheDebianPackagesToInstall(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        // an empty plugin path and a fresh registry: GStreamer starts but finds none of its plugins
        ChildJvm.Result r = ChildJvm.run(StartRuntime.class, List.of(), Map.of("GST_PLUGIN_SYSTEM_PATH_1_0", dir.toString(),
                "GST_PLUGIN_PATH_1_0", dir.toString(), "GST_REGISTRY_1_0", dir.resolve("registry.bin").toString()), 60);
        assertThat(r.code()).as(r.output()).isEqualTo(3);
        assertThat(r.output()).contains("MISSING", "webrtcbin", "gstreamer1.0-plugins-bad", "gstreamer1.0-nice",
                "apt-get install -y gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-nice");
    }

    @Test
    void missingGstreamerLibrariesAreReportedWithTheDebianPackagesToInstall() throws Exception {
        // JNA finds libgstreamer-1.0.so.0 through its platform library path (no unversioned .so without -dev packages)
        assumeThat(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libgstreamer-1.0.so")))
                .as("the -dev package's unversioned libgstreamer-1.0.so would be found by dlopen anyway").isFalse();
        ChildJvm.Result r = ChildJvm.run(StartRuntime.class, List.of("-Djna.platform.library.path=/nonexistent"), Map.of(), 60);
        assertThat(r.code()).as(r.output()).isEqualTo(3);
        assertThat(r.output()).contains("MISSING", "apt-get install -y gstreamer1.0-plugins-base");
    }
}
