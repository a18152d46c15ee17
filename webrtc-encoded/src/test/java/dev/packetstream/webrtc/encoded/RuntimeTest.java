package dev.packetstream.webrtc.encoded;

import dev.packetstream.core.testing.RecordingSignaller;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.packetstream.core.media.VideoCodec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Runtimes share the process's GStreamer but own their sessions: closing one leaves the other working. */
class RuntimeTest {

    @Test
    void twoRuntimesShareGstreamerAndCloseIndependently() throws Exception {
        try (EncodedRuntime second = new EncodedRuntime("second");
             TestSource source = new TestSource("pattern", VideoCodec.VP8, 160, 120)) {
            EncodedRuntime first = new EncodedRuntime("first");
            EncodedPeerSession orphan = first.newSession("orphan", EncodedSessionConfig.defaults(), new RecordingSignaller());
            first.close();
            assertThat(orphan.isClosed()).as("closing a runtime closes its sessions").isTrue();
            assertThatThrownBy(() -> first.newSession("late", EncodedSessionConfig.defaults(), new RecordingSignaller()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("runtime 'first' is closed");
            first.close(); // idempotent

            try (JavaViewer v = new JavaViewer(second, "still-working", VideoCodec.VP8, 150)) {
                v.sender.onKeyframeRequest(r -> source.video.requestKeyframe());
                source.then(v.sender, 50).start();
                v.tx.negotiate().get(10, SECONDS);
                await().atMost(Duration.ofSeconds(10)).until(() -> v.video.get() > 10);
            }
            assertThat(second.gstreamerVersion()).startsWith("GStreamer 1.");
        }
    }
}
