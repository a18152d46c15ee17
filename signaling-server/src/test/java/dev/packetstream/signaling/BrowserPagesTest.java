package dev.packetstream.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.packetstream.signaling.testing.HeadlessChromium;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pages in a real headless Chromium with the fake camera: a publisher page and a viewer page
 * meet through the server and the viewer decodes frames; application events are drawn; the pages
 * rejoin after a server restart; the recorder page offers to a Java recorder peer.
 */
class BrowserPagesTest {
    private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(40);
    private static HeadlessChromium chromium;

    /** Per test, so that a missing browser shows as each test skipped with the install hint. */
    @BeforeEach
    void launch() {
        HeadlessChromium.assumeAvailable();
        if (chromium == null) {
            chromium = HeadlessChromium.launch();
        }
    }

    @AfterAll
    static void quit() {
        if (chromium != null) {
            chromium.close();
        }
    }

    private static long number(String expression) {
        Object value = chromium.script("return " + expression + ";");
        return value == null ? -1 : ((Number) value).longValue();
    }

    @Test
    void aViewerPageDecodesThePublisherPagesCameraDrawsEventsAndBothRejoinAfterAServerRestart() throws Exception {
        SignalingServer server = SignalingServer.builder().build().start();
        int port = server.port();
        try {
            URI base = server.httpUri();
            String viewer = chromium.newWindow(base.resolve("/viewer.html?room=browser-1"));
            String publisher = chromium.newWindow(base.resolve("/publisher.html?room=browser-1"));

            chromium.switchTo(viewer);
            chromium.waitFor(MEDIA_TIMEOUT, "the viewer to decode frames", "return window.psStats.framesDecoded > 0");
            chromium.waitFor(MEDIA_TIMEOUT, "stats with resolution and audio packets",
                    "return window.psStats.width > 0 && window.psStats.audioPacketsReceived > 0");
            // The fake camera is 640x480; the sender may scale it down (4:3 kept) while the machine is busy.
            long width = number("window.psStats.width");
            assertThat(width).isBetween(160L, 640L);
            assertThat(number("window.psStats.height") * 4).isEqualTo(width * 3);
            String firstPublisher = (String) chromium.script("return window.psStats.publisher;");
            assertThat(firstPublisher).isNotBlank();

            // A Java peer sends detection boxes to the room: the viewer lists and draws them.
            try (SignalingClient detector = SignalingClient.builder(server.webSocketUri()).room("browser-1")
                    .role("detector").build()) {
                detector.connect().get(10, TimeUnit.SECONDS);
                detector.broadcastEvent(Map.of("boxes", List.of(Map.of("x", 100, "y", 80, "w", 200, "h", 150)),
                        "label", "motion"));
                chromium.waitFor(Duration.ofSeconds(10), "the event to reach the viewer",
                        "return window.psEvents.length > 0");
                assertThat(number("window.psEvents[0].data.boxes[0].w")).isEqualTo(200);
                assertThat((String) chromium.script("return document.getElementById('events').textContent;"))
                        .contains("motion");
                // the overlay canvas has green pixels where the box was drawn
                chromium.waitFor(Duration.ofSeconds(10), "the box drawn on the overlay", """
                        const c = document.getElementById('boxes');
                        if (!c.width || !c.height) return false;
                        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                        for (let i = 0; i < d.length; i += 4) if (d[i + 1] > 200 && d[i] < 50 && d[i + 3] > 0) return true;
                        return false;""");
            }

            server.close();
            chromium.waitFor(Duration.ofSeconds(10), "the viewer to notice the server is gone",
                    "return window.psSignal.state === 'reconnecting';");
            server = SignalingServer.builder().port(port).build().start();
            chromium.waitFor(MEDIA_TIMEOUT, "the viewer to rejoin and decode a new publisher connection",
                    "return window.psSignal.state === 'joined' && window.psSignal.reconnects >= 1"
                            + " && window.psStats.publisher !== null && window.psStats.publisher !== '" + firstPublisher + "'"
                            + " && window.psStats.framesDecoded > 0");
            chromium.switchTo(publisher);
            assertThat(number("window.psSignal.reconnects")).isGreaterThanOrEqualTo(1);
            assertThat(server.figures().peers()).isEqualTo(2);
        } finally {
            server.close();
        }
    }

    @Test
    void aPageJoinsWithTheTokenFromItsUrlAndStopsRetryingWhenTheTokenIsRefused() {
        TokenIssuer issuer = TokenIssuer.withSecret("a-browser-test-secret-of-32-bytes-or-more");
        try (SignalingServer server = SignalingServer.builder().requireTokens(issuer).build().start()) {
            String token = issuer.issue("tok-1", "viewer", Duration.ofMinutes(5));
            chromium.newWindow(server.httpUri().resolve("/viewer.html?room=tok-1&token=" + token));
            chromium.waitFor(Duration.ofSeconds(15), "the viewer to join with its token",
                    "return window.psSignal && window.psSignal.state === 'joined';");

            String forged = TokenIssuer.withSecret("some-other-secret-some-other-secret!!")
                    .issue("tok-1", "viewer", Duration.ofMinutes(5));
            chromium.newWindow(server.httpUri().resolve("/viewer.html?room=tok-1&token=" + forged));
            chromium.waitFor(Duration.ofSeconds(15), "the forged token to be refused",
                    "return window.psSignal && window.psSignal.state === 'refused';");
            assertThat(server.figures().rejected(ErrorCode.TOKEN_INVALID)).isEqualTo(1);
            assertThat(server.figures().peers()).isEqualTo(1);
        }
    }

    @Test
    void theRecorderPageOffersItsCameraToAJavaRecorderPeerAndSignalsStartAndStop() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        try (SignalingServer server = SignalingServer.builder().build().start();
             SignalingClient recorder = SignalingClient.builder(server.webSocketUri()).room("rec-1").role("recorder")
                     .listener(new SignalingListener() {
                         @Override
                         public void onOffer(PeerInfo from, String sdp) {
                             seen.add("offer " + from.role() + (sdp.contains("m=video") ? " video" : "")
                                     + (sdp.contains("m=audio") ? " audio" : ""));
                         }

                         @Override
                         public void onEvent(PeerInfo from, JsonNode data, boolean toRoom) {
                             seen.add("event " + data.path("recording").asText());
                         }

                         @Override
                         public void onBye(PeerInfo from) {
                             seen.add("bye " + from.role());
                         }

                         @Override
                         public void onPeerLeft(PeerInfo peer) {
                             seen.add("left " + peer.role());
                         }
                     }).build()) {
            recorder.connect().get(10, TimeUnit.SECONDS);
            chromium.newWindow(server.httpUri().resolve("/recorder.html?room=rec-1&autostart=1"));
            assertThat(seen.poll(30, TimeUnit.SECONDS)).isEqualTo("event start");
            assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo("offer publisher video audio");
            chromium.script("window.psRecorderStop();");
            assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo("event stop");
            assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo("bye publisher");
            assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo("left publisher");
            assertThat((String) chromium.script("return window.psRecorder.state;")).isEqualTo("stopped");
        }
    }
}
