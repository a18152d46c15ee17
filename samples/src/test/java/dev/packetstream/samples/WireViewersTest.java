package dev.packetstream.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.packetstream.samples.wire.WireViewer;
import dev.packetstream.samples.wire.WireViewers;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay capacity's wire viewers against the real relay sample (its test pattern, GStreamer
 * webrtcbin sessions): ICE, the DTLS-SRTP handshake and SRTP with the relay, counted per viewer.
 */
@Timeout(240)
class WireViewersTest {
    @TempDir
    Path dir;

    @Test
    void threeWireViewersEachCountTwentyFiveFramesASecondFromAKeyframeWithAudioAndNothingMissingAndLeaveNoThreadBehind() throws Exception {
        assertThat(wireThreads()).as("wire threads before the test").isEmpty();
        try (SampleProcess relay = new SampleProcess(dir, "relay", "--size", "640x480", "--fps", "30", "--max-bitrate", "1000",
                "--min-bitrate", "1000", "--loopback", "--port", "0", "--room", "wire")) {
            URI page = relay.page(Duration.ofSeconds(120));
            URI ws = URI.create("ws://" + page.getHost() + ":" + page.getPort() + "/ws");
            try (WireViewers load = new WireViewers(ws, "wire", 30)) {
                load.growTo(3);
                List<WireViewer> vs = load.viewers();
                // the relay's source starts slowly while its JVM warms up: count from when every viewer has 30 frames
                Awaitility.await("every wire viewer counts 30 frames").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                        .until(() -> vs.stream().allMatch(v -> v.frames() >= 30));
                long[] frames0 = new long[3];
                long[] missing0 = new long[3];
                long[] lost0 = new long[3];
                long[] audio0 = new long[3];
                for (int i = 0; i < 3; i++) {
                    frames0[i] = vs.get(i).frames();
                    missing0[i] = vs.get(i).missing();
                    lost0[i] = vs.get(i).missingPackets();
                    audio0[i] = vs.get(i).audioPackets();
                }
                long t0 = System.nanoTime();
                Awaitility.await("every wire viewer counts 100 more frames").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(50)).until(() -> {
                            for (int i = 0; i < 3; i++) {
                                if (vs.get(i).frames() - frames0[i] < 100) {
                                    return false;
                                }
                            }
                            return true;
                        });
                double seconds = (System.nanoTime() - t0) / 1e9;
                for (int i = 0; i < 3; i++) {
                    WireViewer v = vs.get(i);
                    double fps = (v.frames() - frames0[i]) / seconds;
                    System.out.printf("%s: %.1f fps over %.1f s, %d keyframes, %d audio packets, %d frames and %d packets missing,"
                                    + " %d frame(s) before the first keyframe, %d PLI(s) sent%n", v, fps, seconds, v.keyframes(), v.audioPackets() - audio0[i],
                            v.missing() - missing0[i], v.missingPackets() - lost0[i], v.framesBeforeFirstKeyframe(), v.keyframeRequests());
                    assertThat(fps).as("%s's frame rate (the relay sends 30 fps)", v).isGreaterThanOrEqualTo(25);
                    assertThat(v.firstWasKeyframe()).as("%s's first frame was a keyframe", v).isTrue();
                    assertThat(v.keyframes()).as("%s's keyframes", v).isGreaterThanOrEqualTo(1);
                    assertThat(v.audioPackets() - audio0[i]).as("%s's audio packets while it counted 100 frames", v).isGreaterThan(50);
                    assertThat(v.missing() - missing0[i]).as("%s's frames missing", v).isZero();
                    assertThat(v.missingPackets() - lost0[i]).as("%s's packets missing", v).isZero();
                    assertThat(v.authenticationFailures()).as("%s's frames failing SRTP authentication", v).isZero();
                }
            }
        }
        assertThat(wireThreads()).as("wire threads left after close").isEmpty();
    }

    private static List<String> wireThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("wire-")).toList();
    }
}
