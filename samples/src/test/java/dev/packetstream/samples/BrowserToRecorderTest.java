package dev.packetstream.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.packetstream.av.Container;
import dev.packetstream.core.media.FrameSize;
import dev.packetstream.samples.common.ServerOptions;
import dev.packetstream.samples.recorder.BrowserToRecorder;
import dev.packetstream.samples.recorder.RecordingSession;
import dev.packetstream.signaling.testing.HeadlessChromium;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class BrowserToRecorderTest {
    @TempDir
    static Path dir;
    static Path clip;

    @BeforeAll
    static void tools() throws Exception {
        HeadlessChromium.assumeAvailable();
        MediaTools.assumeAvailable();
        clip = MediaTools.y4mClip(dir, 640, 480, 30, 3);
    }

    @Test
    void aFiveSecondBrowserSessionBecomesAFileWithVideoAndAudioOfFiveSecondsHoldingMostFramesSent() throws Exception {
        Path recordings = dir.resolve("recordings-webm");
        try (BrowserToRecorder sample = BrowserToRecorder.start(ServerOptions.of(0, "rec-test", true), recordings, Container.WEBM, new FrameSize(640, 480));
             HeadlessChromium chromium = HeadlessChromium.launch(List.of("--use-file-for-fake-video-capture=" + clip))) {
            chromium.open(sample.recorderPage().resolve("recorder.html?room=rec-test&autostart=1"));
            chromium.waitFor(Duration.ofSeconds(20), "the browser sends frames",
                    "return window.psRecorder.framesSent > 0;");
            RecordingSession recording = sample.recordings().get(0);
            // Publish for 5 s (timed by the page), then stop; framesSent is the page's last getStats reading.
            chromium.driver().manage().timeouts().scriptTimeout(Duration.ofSeconds(15));
            long sent = ((Number) ((org.openqa.selenium.JavascriptExecutor) chromium.driver()).executeAsyncScript(
                    "const done = arguments[arguments.length - 1];"
                            + " setTimeout(() => { const n = window.psRecorder.framesSent; window.psRecorderStop(); done(n); }, 5000);"))
                    .longValue();
            awaitFinished(recording);

            MediaTools.Probe probe = MediaTools.probe(recording.file());
            System.out.println("recording " + recording.file().getFileName() + ": " + probe + ", browser sent " + sent + " frames");
            assertThat(probe.hasVideo()).as("video stream").isTrue();
            assertThat(probe.hasAudio()).as("audio stream").isTrue();
            assertThat(probe.width()).isEqualTo(640);
            assertThat(probe.height()).isEqualTo(480);
            assertThat(probe.durationSeconds()).as("duration").isBetween(4.0, 6.0);
            assertThat(probe.videoFrames()).as("frames in the file vs %d the browser reported sent", sent)
                    .isGreaterThanOrEqualTo((long) Math.ceil(0.8 * sent));
        }
    }

    @Test
    void anMp4RecordingOnRequestHoldsH264VideoAndAacAudio() throws Exception {
        Path recordings = dir.resolve("recordings-mp4");
        try (BrowserToRecorder sample = BrowserToRecorder.start(ServerOptions.of(0, "rec-mp4", true), recordings, Container.MP4, new FrameSize(640, 480));
             HeadlessChromium chromium = HeadlessChromium.launch(List.of("--use-file-for-fake-video-capture=" + clip))) {
            chromium.open(sample.recorderPage().resolve("recorder.html?room=rec-mp4&autostart=1"));
            chromium.waitFor(Duration.ofSeconds(20), "the browser has sent 2 s of frames",
                    "return window.psRecorder.framesSent > 60;");
            RecordingSession recording = sample.recordings().get(0);
            chromium.script("window.psRecorderStop();");
            awaitFinished(recording);

            assertThat(recording.file().getFileName().toString()).endsWith(".mp4");
            MediaTools.Probe probe = MediaTools.probe(recording.file());
            System.out.println("recording " + recording.file().getFileName() + ": " + probe);
            assertThat(probe.hasVideo()).isTrue();
            assertThat(probe.hasAudio()).isTrue();
            assertThat(probe.videoCodec()).isEqualTo("h264");
            assertThat(probe.videoFrames()).isPositive();
        }
    }

    static void awaitFinished(RecordingSession recording) throws Exception {
        recording.finished().get(40, java.util.concurrent.TimeUnit.SECONDS);
    }
}
