package dev.packetstream.av;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A recording whose JVM is killed with SIGKILL halfway leaves a file that holds all but the last 2 s. */
class CrashRecoveryTest {
    private static final long KILL_AFTER_MS = 4_000;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"webm", "mkv", "mp4"})
    void aRecordingKilledWithSigkillHalfwayStaysReadableUpToTheLastTwoSeconds(String extension) throws Exception {
        Path file = dir.resolve("killed." + extension);
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", classpath, RecordingChild.class.getName(), file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long muxedAtKill = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            String line;
            while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
                if (line.startsWith("muxed ")) {
                    long ms = Long.parseLong(line.substring(6).trim());
                    if (ms >= KILL_AFTER_MS) {
                        muxedAtKill = ms;
                        child.destroyForcibly(); // SIGKILL: no shutdown hooks, no trailer
                        break;
                    }
                }
            }
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(muxedAtKill).as("the child recorded %d ms before the kill", KILL_AFTER_MS).isGreaterThanOrEqualTo(KILL_AFTER_MS);
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);

        Ffprobe.Result probe = Ffprobe.probe(file);
        double last = Ffprobe.lastPacketTime(file);
        System.out.printf("%s killed after %d ms muxed: ffprobe reads %d video frames, last packet at %.2f s (lost %.2f s)%n",
                extension, muxedAtKill, probe.video().frames(), last, muxedAtKill / 1000.0 - last);
        assertThat(probe.video().frames()).isPositive();
        assertThat(last).as("seconds readable after the kill").isGreaterThanOrEqualTo(muxedAtKill / 1000.0 - 2.0);
    }
}
