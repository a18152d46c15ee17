package dev.packetstream.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.packetstream.signaling.testing.HeadlessChromium;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class ShutdownTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        HeadlessChromium.assumeAvailable();
        MediaTools.assumeAvailable();
    }

    @Test
    void sigtermDuringARecordingExitsTheProcessAndLeavesAFileFfprobeReads() throws Exception {
        Path recordings = dir.resolve("recordings");
        try (SampleProcess sample = new SampleProcess(dir, "browser-to-recorder", "--port", "0", "--loopback",
                "--room", "sigterm", "--recordings", recordings.toString(), "--size", "640x480");
             HeadlessChromium chromium = HeadlessChromium.launch(List.of(EncodedRelayTest.NO_MDNS))) {
            chromium.open(sample.page(Duration.ofSeconds(30)).resolve("recorder.html?room=sigterm&autostart=1"));
            chromium.waitFor(Duration.ofSeconds(20), "the browser sends frames", "return window.psRecorder.framesSent > 0;");
            awaitFileLargerThan(recordings, 50_000, Duration.ofSeconds(20));

            int exit = sample.terminate(Duration.ofSeconds(30));

            assertThat(exit).as("exit code after SIGTERM; output:\n%s", sample.output()).isIn(0, 143);
            assertThat(sample.output()).as("exit %d", exit).contains("stopped.");
            System.out.println(sample.output());
            Path file = onlyFile(recordings);
            MediaTools.Probe probe = MediaTools.probe(file);
            assertThat(probe.hasVideo()).isTrue();
            assertThat(probe.videoFrames()).isPositive();
            assertThat(probe.durationSeconds()).isPositive();
        }
    }

    static void awaitFileLargerThan(Path folder, long bytes, Duration timeout) {
        Awaitility.await("a recording in " + folder + " larger than " + bytes + " bytes").atMost(timeout)
                .pollInterval(Duration.ofMillis(100)).until(() -> largestFile(folder) > bytes);
    }

    private static long largestFile(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(folder)) {
            long max = 0;
            for (Path f : files.toList()) {
                max = Math.max(max, Files.size(f));
            }
            return max;
        }
    }

    static Path onlyFile(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> all = files.toList();
            assertThat(all).hasSize(1);
            return all.get(0);
        }
    }
}
