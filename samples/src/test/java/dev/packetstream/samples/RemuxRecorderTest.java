package dev.packetstream.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.packetstream.av.Container;
import dev.packetstream.samples.common.ServerOptions;
import dev.packetstream.samples.recorder.BrowserToRecorder;
import dev.packetstream.samples.recorder.Recording;
import dev.packetstream.samples.recorder.RemuxSession;
import dev.packetstream.signaling.testing.HeadlessChromium;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * browser-to-recorder's default: the browser's own encoded video and Opus audio written to the file
 * without decoding, from a real headless Chromium publishing a y4m clip and its fake microphone.
 */
@Timeout(120)
class RemuxRecorderTest {
    @RegisterExtension
    static final FakeCamera camera = new FakeCamera(640, 480);

    @Test
    void aRemuxedWebmHoldsTheBrowsersVp8AndOpusWithAtLeast95PercentOfItsFramesAndItsDuration() throws Exception {
        try (BrowserToRecorder sample = BrowserToRecorder.start(ServerOptions.of(0, "remux", true), camera.dir().resolve("remux-webm"), Container.WEBM);
             HeadlessChromium chromium = launch()) {
            Recording recording = BrowserToRecorderTest.record(chromium, sample, "the browser sends frames", "return window.psRecorder.framesSent > 0;");
            assertThat(recording).isInstanceOf(RemuxSession.class);

            // 5 s of publishing (timed by the page), the browser's count of frames encoded, then stop
            Map<String, Object> browser = PageConnections.outboundVideoAfter(chromium, Duration.ofSeconds(5), "window.psRecorderStop();");
            recording.finished().get(40, java.util.concurrent.TimeUnit.SECONDS);

            long encoded = ((Number) browser.get("framesEncoded")).longValue();
            double received = ((RemuxSession) recording).videoSecondsReceived();
            MediaTools.Probe probe = MediaTools.probe(recording.file());
            double span = MediaTools.videoSpanSeconds(recording.file());
            System.out.printf(Locale.ROOT, "remux %s: %s, video %.2f s first to last frame; browser encoded %d frames of %s;"
                            + " video received over %.2f s%n", recording.file().getFileName(), probe, span, encoded, browser.get("codec"), received);
            assertThat(browser.get("codec")).isEqualTo("video/VP8");
            assertThat(probe.videoCodec()).as("the browser's codec in the file").isEqualTo("vp8");
            assertThat(probe.hasAudio()).as("audio stream").isTrue();
            assertThat(probe.videoFrames()).as("frames in the file vs %d the browser reported encoded", encoded)
                    .isGreaterThanOrEqualTo((long) Math.ceil(0.95 * encoded));
            // first to last frame in the file (its timestamps) vs first to last video packet received (wall clock)
            assertThat(span).as("the file's video duration vs the %.2f s the video was received", received)
                    .isCloseTo(received, org.assertj.core.data.Offset.offset(0.3));
            assertThat(probe.durationSeconds()).as("the file's duration").isCloseTo(received, org.assertj.core.data.Offset.offset(1.0));
        }
    }

    @Test
    void aRemuxedMp4HoldsTheBrowsersH264AndOpus() throws Exception {
        try (BrowserToRecorder sample = BrowserToRecorder.start(ServerOptions.of(0, "remux-mp4", true), camera.dir().resolve("remux-mp4"), Container.MP4);
             HeadlessChromium chromium = launch()) {
            Recording recording = BrowserToRecorderTest.record(chromium, sample, "the browser has sent 2 s of frames",
                    "return window.psRecorder.framesSent > 60;");
            Map<String, Object> browser = PageConnections.outboundVideo(chromium);
            chromium.script("window.psRecorderStop();");
            recording.finished().get(40, java.util.concurrent.TimeUnit.SECONDS);

            MediaTools.Probe probe = MediaTools.probe(recording.file());
            System.out.println("remux " + recording.file().getFileName() + ": " + probe + "; browser sent " + browser.get("codec"));
            assertThat(browser.get("codec")).isEqualTo("video/H264");
            assertThat(probe.videoCodec()).isEqualTo("h264");
            assertThat(probe.hasAudio()).isTrue();
            assertThat(probe.videoFrames()).isGreaterThanOrEqualTo(50);
        }
    }

    static HeadlessChromium launch() {
        HeadlessChromium chromium = camera.launch(EncodedRelayTest.NO_MDNS);
        PageConnections.track(chromium);
        return chromium;
    }
}
