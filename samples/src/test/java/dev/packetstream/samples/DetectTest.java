package dev.packetstream.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.packetstream.core.media.FrameSize;
import dev.packetstream.samples.common.ServerOptions;
import dev.packetstream.samples.detect.Detect;
import dev.packetstream.signaling.testing.HeadlessChromium;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(150)
class DetectTest {
    static final FrameSize SIZE = new FrameSize(640, 360);

    @BeforeAll
    static void browser() {
        HeadlessChromium.assumeAvailable();
    }

    /** Frames the viewer shows in 5 s once it shows any, with these detect settings; also checks events when asked. */
    static long viewerFramesInFiveSeconds(String room, Detect.Settings settings, boolean expectEvents) {
        try (Detect sample = Detect.start(ServerOptions.of(0, room, true), WebcamToBrowserTest.testPattern(SIZE), false,
                WebcamToBrowserTest.rtc(), settings);
             HeadlessChromium chromium = HeadlessChromium.launch()) {
            ViewerPage viewer = new ViewerPage(chromium, chromium.open(sample.viewerPage()));
            viewer.awaitFrames(Duration.ofSeconds(20), "the viewer");
            long frames = viewer.framesShownDuring(Duration.ofSeconds(5));
            if (expectEvents) {
                chromium.waitFor(Duration.ofSeconds(10), "motion events reach the viewer page",
                        "return window.psEvents.some(e => e.data && e.data.type === 'motion' && Array.isArray(e.data.boxes));");
                System.out.printf("detector: analysed %d frames, dropped %d stale, sent %d events%n",
                        sample.detector().analysed(), sample.staleFramesDropped(), sample.eventsSent());
                assertThat(sample.staleFramesDropped()).as("the slow detector's queue drops stale frames").isPositive();
            }
            return frames;
        }
    }

    @Test
    void aDetectorSlowedTo200msPerFrameLeavesTheViewerAtLeast90PercentOfItsFrameRateAndMotionEventsArrive() {
        long without = viewerFramesInFiveSeconds("detect-off", new Detect.Settings(false, 3, Duration.ZERO, 0.01), false);
        long with = viewerFramesInFiveSeconds("detect-slow", new Detect.Settings(true, 3, Duration.ofMillis(200), 0.01), true);
        System.out.printf("viewer frames in 5 s: %d without the detect branch, %d with a 200 ms detector%n", without, with);

        assertThat(without).as("frames without the detect branch").isGreaterThanOrEqualTo(50);
        assertThat((double) with).as("frames with a 200 ms detector vs %d without", without).isGreaterThanOrEqualTo(0.9 * without);
    }
}
