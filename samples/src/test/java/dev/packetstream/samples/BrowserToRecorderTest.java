package dev.packetstream.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.packetstream.av.Container;
import dev.packetstream.core.media.FrameSize;
import dev.packetstream.samples.common.ServerOptions;
import dev.packetstream.samples.recorder.BrowserToRecorder;
import dev.packetstream.samples.recorder.Recording;
import dev.packetstream.signaling.testing.HeadlessChromium;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(120)
class BrowserToRecorderTest {
    @RegisterExtension
    static final FakeCamera camera = new FakeCamera(640, 480);

    @Test
    void transcodingAFiveSecondBrowserSessionGivesAFileAtTheAskedSizeWithAudioOfFiveSecondsHoldingMostFramesSent() throws Exception {
        try (BrowserToRecorder sample = transcoding("rec-test", Container.WEBM); HeadlessChromium chromium = camera.launch()) {
            chromium.open(URI.create(sample.recorderPage() + "&autostart=1"));
            // The 5 s start when the recorder has its first video frame (the page's framesSent, read from
            // getStats once a second, can turn positive up to ~1 s after sending began: a CI run wrote
            // 6.07 s that way).
            Recording recording = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10))
                    .until(() -> sample.recordings().stream().filter(r -> r.videoFramesReceived() > 0).findFirst(),
                            java.util.Optional::isPresent).get();
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
    void aTranscodedMp4RecordingHoldsH264VideoAndAacAudio() throws Exception {
        try (BrowserToRecorder sample = transcoding("rec-mp4", Container.MP4); HeadlessChromium chromium = camera.launch()) {
            Recording recording = record(chromium, sample, "the browser has sent 2 s of frames", "return window.psRecorder.framesSent > 60;");
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

    /** The transcoding recorder in room {@code room}, writing 640x480 files to {@code recordings-<extension>}. */
    static BrowserToRecorder transcoding(String room, Container container) {
        return BrowserToRecorder.startTranscoding(ServerOptions.of(0, room, true), camera.dir().resolve("recordings-" + container.extension()),
                container, new FrameSize(640, 480));
    }

    /**
     * Opens {@code sample}'s recorder page with autostart, waits until {@code condition} (a script
     * returning a boolean) holds, and returns the recording it started.
     */
    static Recording record(HeadlessChromium chromium, BrowserToRecorder sample, String what, String condition) {
        chromium.open(URI.create(sample.recorderPage() + "&autostart=1"));
        chromium.waitFor(Duration.ofSeconds(20), what, condition);
        return sample.recordings().get(0);
    }

    static void awaitFinished(Recording recording) throws Exception {
        recording.finished().get(40, java.util.concurrent.TimeUnit.SECONDS);
    }
}
