package dev.packetstream.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.packetstream.samples.common.ServerOptions;
import dev.packetstream.samples.common.SourceOptions;
import dev.packetstream.samples.relay.TranscodingRelay;
import dev.packetstream.signaling.testing.HeadlessChromium;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(150)
class TranscodingRelayTest {
    @RegisterExtension
    static final FakeCamera camera = new FakeCamera(320, 240);

    @Test
    void threeViewersOfABrowserPublisherDecodeAndAFourthJoiningAndTheFirstLeavingDoNotStopTheOthers() throws Exception {
        try (TranscodingRelay relay = TranscodingRelay.start(ServerOptions.of(0, "relay-test", true), new SourceOptions(), true, WebcamToBrowserTest.rtc());
             HeadlessChromium chromium = camera.launch()) {
            List<ViewerPage> viewers = ViewerPage.publishAndView(chromium, relay, 3);
            for (ViewerPage v : viewers) {
                v.awaitFrames(Duration.ofSeconds(20), "viewer " + viewers.indexOf(v));
            }

            long opened = System.nanoTime();
            ViewerPage fourth = new ViewerPage(chromium, chromium.newWindow(relay.viewerPage()));
            fourth.awaitFrames(Duration.ofSeconds(20), "the fourth viewer");
            double firstPictureSeconds = (System.nanoTime() - opened) / 1e9;
            System.out.printf("fourth viewer: first picture %.2f s after its page was opened%n", firstPictureSeconds);

            chromium.switchTo(viewers.get(0).window());
            chromium.driver().close(); // the first viewer leaves
            List<ViewerPage> remaining = List.of(viewers.get(1), viewers.get(2), fourth);
            long[] before = new long[remaining.size()];
            for (int i = 0; i < before.length; i++) {
                before[i] = remaining.get(i).framesShown();
            }
            awaitViewerCount(relay, 3);
            for (int i = 0; i < before.length; i++) {
                long after = awaitMoreFrames(remaining.get(i), before[i] + 30, Duration.ofSeconds(10));
                assertThat(after).as("viewer %d keeps decoding after the first left", i).isGreaterThanOrEqualTo(before[i] + 30);
            }
        }
    }

    static long awaitMoreFrames(ViewerPage viewer, long target, Duration timeout) {
        try {
            Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> viewer.framesShown() >= target);
        } catch (ConditionTimeoutException e) {
            // the assertion that follows reports the count
        }
        return viewer.framesShown();
    }

    static void awaitViewerCount(TranscodingRelay relay, int count) {
        Awaitility.await("viewers served after one left").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> relay.viewers().viewerCount() == count);
    }
}
