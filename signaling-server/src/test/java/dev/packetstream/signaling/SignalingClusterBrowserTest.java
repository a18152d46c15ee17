package dev.packetstream.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.packetstream.signaling.testing.HeadlessChromium;
import dev.packetstream.signaling.testing.LocalRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real headless Chromium: the publisher page served by one server and the viewer page served by
 * another, both sharing the room through one real Redis. The viewer decodes the publisher's
 * camera, and an event sent through a third server is drawn.
 */
class SignalingClusterBrowserTest {
    private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(40);

    @Test
    void aViewerPageOnOneServerDecodesThePublisherPageOnAnother() throws Exception {
        HeadlessChromium.assumeAvailable();
        try (LocalRedis redis = LocalRedis.start();
             SignalingServer a = SignalingServer.builder().redis(redis.uri()).build().start();
             SignalingServer b = SignalingServer.builder().redis(redis.uri()).build().start();
             SignalingServer c = SignalingServer.builder().redis(redis.uri()).build().start();
             HeadlessChromium chromium = HeadlessChromium.launch()) {
            String viewer = chromium.newWindow(b.httpUri().resolve("/viewer.html?room=span"));
            chromium.waitFor(Duration.ofSeconds(15), "the viewer to join on server B",
                    "return window.psSignal && window.psSignal.state === 'joined';");
            chromium.newWindow(a.httpUri().resolve("/publisher.html?room=span"));
            chromium.switchTo(viewer);
            chromium.waitFor(MEDIA_TIMEOUT, "the viewer on B to decode the publisher on A",
                    "return window.psStats.framesDecoded > 0 && window.psStats.width > 0;");
            assertThat(((Number) chromium.script("return window.psStats.framesDecoded;")).longValue()).isPositive();
            assertThat(a.figures().peers()).isEqualTo(1);
            assertThat(b.figures().peers()).isEqualTo(1);
            assertThat(a.figures().messagesRelayed()).as("the answer and candidates reached A").isPositive();
            assertThat(b.figures().messagesRelayed()).as("the offer and candidates reached B").isPositive();

            try (SignalingClient detector = SignalingClient.builder(c.webSocketUri()).room("span").role("detector")
                    .build()) {
                detector.connect().get(10, TimeUnit.SECONDS);
                detector.broadcastEvent(Map.of("boxes", List.of(Map.of("x", 10, "y", 20, "w", 30, "h", 40))));
                chromium.waitFor(Duration.ofSeconds(10), "the event from server C to reach the viewer on B",
                        "return window.psEvents.length > 0 && window.psEvents[0].data.boxes[0].w === 30;");
            }
        }
    }
}
