package dev.packetstream.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.packetstream.core.media.VideoCodec;
import dev.packetstream.samples.common.EncodedBroadcast;
import dev.packetstream.samples.common.EncodedViewers;
import dev.packetstream.core.media.FrameSize;
import dev.packetstream.samples.common.ServerOptions;
import dev.packetstream.samples.common.SourceOptions;
import dev.packetstream.samples.common.WebRtcOptions;
import dev.packetstream.signaling.testing.HeadlessChromium;
import dev.packetstream.webrtc.encoded.SenderStall;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.JavascriptExecutor;

/**
 * The relay on the encoded path, end to end: a headless Chromium publisher (fake camera from a y4m
 * clip, fake microphone) and Chromium viewer pages, through the relay's GStreamer sessions. Nothing
 * is decoded or encoded in Java.
 */
@Timeout(180)
class EncodedRelayTest {
    /** libnice cannot resolve Chromium's mDNS host candidates. */
    static final String NO_MDNS = "--disable-features=WebRtcHideLocalIpsWithMdns";

    @RegisterExtension
    static final FakeCamera camera = new FakeCamera(320, 240);

    static WebRtcOptions vp8() {
        WebRtcOptions rtc = WebcamToBrowserTest.rtc();
        rtc.codec = VideoCodec.VP8;
        return rtc;
    }

    @Test
    void browserPublisherReachesEveryViewerWithAudioANewViewerStartsWithinTwoSecondsAStalledOneSlowsNoOtherAndLeavingLeaksNothing()
            throws Exception {
        int threadsBefore = Thread.activeCount();
        try (EncodedBroadcast relay = EncodedBroadcast.start("relay", "relay", ServerOptions.of(0, "enc-relay", true), null, vp8());
             HeadlessChromium chromium = camera.launch(NO_MDNS)) {
            // three viewers: all decode video and receive audio
            List<ViewerPage> viewers = ViewerPage.publishAndView(chromium, relay, 3);
            for (int i = 0; i < viewers.size(); i++) {
                viewers.get(i).awaitFrames(Duration.ofSeconds(20), "viewer " + i);
            }
            for (int i = 0; i < viewers.size(); i++) {
                ViewerPage v = viewers.get(i);
                Awaitility.await("viewer " + i + " receives audio").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                        .until(() -> v.stat("audioPacketsReceived") > 0);
            }
            assertThat(relay.publisher().receiver().remoteEncodings()).containsExactlyInAnyOrder("VP8", "OPUS");

            // a fourth joins mid-stream: its first frame within 2 s of its connection (a keyframe is asked for)
            ViewerPage fourth = new ViewerPage(chromium, chromium.newWindow(relay.viewerPage()));
            EncodedViewers.Viewer fourthSession = viewerOf(relay.viewers(), fourth);
            AtomicLong connectedAtMs = fourthSession.connectedAtMillis();
            chromium.switchTo(fourth.window());
            chromium.driver().manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
            long firstFrameAtMs = ((Number) ((JavascriptExecutor) chromium.driver()).executeAsyncScript(FIRST_FRAME_WALL_CLOCK)).longValue();
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> connectedAtMs.get() > 0);
            long firstFrameMs = firstFrameAtMs - connectedAtMs.get();
            System.out.printf("fourth viewer: first frame %d ms after its connection%n", firstFrameMs);
            assertThat(firstFrameMs).as("first frame of a viewer joining mid-stream, after its connection").isLessThan(2000);
            viewers.add(fourth);

            // one viewer stalled: its queue fills, the others keep their frame rate
            double[] baseline = new double[viewers.size()];
            for (int i = 1; i < viewers.size(); i++) {
                baseline[i] = viewers.get(i).framesShownDuring(Duration.ofSeconds(2)) / 2.0;
                assertThat(baseline[i]).as("viewer %d's frame rate before the stall (the publisher sends 30 fps)", i)
                        .isGreaterThanOrEqualTo(20);
            }
            EncodedViewers.Viewer stalled = viewerOf(relay.viewers(), viewers.get(0));
            try (SenderStall stall = SenderStall.stall(stalled.sender())) {
                Awaitility.await("the stalled viewer's queue overflows").atMost(Duration.ofSeconds(15))
                        .pollInterval(Duration.ofMillis(100)).until(() -> stalled.sender().droppedOverflow() > 0);
                for (int i = 1; i < viewers.size(); i++) {
                    double fps = viewers.get(i).framesShownDuring(Duration.ofSeconds(2)) / 2.0;
                    System.out.printf("viewer %d: %.1f fps before, %.1f fps while viewer 0 is stalled%n", i, baseline[i], fps);
                    assertThat(fps).as("viewer %d's frame rate while another is stalled (%.1f before)", i, baseline[i])
                            .isGreaterThanOrEqualTo(0.8 * baseline[i]);
                }
            }
            // released, the stalled viewer restarts on a keyframe
            long shown = viewers.get(0).framesShown();
            Awaitility.await("the stalled viewer shows frames again").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> viewers.get(0).framesShown() > shown + 10);

            // everyone leaves: no viewer session, sender or thread is left
            for (ViewerPage v : viewers) {
                chromium.switchTo(v.window());
                chromium.driver().close();
            }
            Awaitility.await("every viewer session closed").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> relay.viewers().viewerCount() == 0 && relay.runtime().sessions().size() == 1
                            && relay.viewers().fanout().viewers().isEmpty());
            Awaitility.await("the viewers' threads ended").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().contains("-viewer-")));
            assertThat(relay.viewers().viewersServed()).isEqualTo(4);
            assertThat(relay.viewers().viewerErrors()).isZero();
        }
        Awaitility.await("threads after close").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("gst-relay")));
        System.out.printf("threads: %d before, %d after%n", threadsBefore, Thread.activeCount());
    }

    @Test
    void encodeOnceSendsTheTestPatternAndToneEncodedOnceToEveryChromiumViewer() throws Exception {
        SourceOptions source = new SourceOptions();
        source.testPattern = true;
        source.size = new FrameSize(320, 240);
        source.fps = 30;
        WebRtcOptions rtc = vp8();
        rtc.maxBitrateKbps = 800;
        try (EncodedBroadcast webcam = EncodedBroadcast.start("webcam-to-browser", "publisher", ServerOptions.of(0, "enc-once", true),
                source, rtc);
             HeadlessChromium chromium = HeadlessChromium.launch(List.of(NO_MDNS))) {
            List<ViewerPage> viewers = List.of(new ViewerPage(chromium, chromium.open(webcam.viewerPage())),
                    new ViewerPage(chromium, chromium.newWindow(webcam.viewerPage())));
            for (int i = 0; i < viewers.size(); i++) {
                ViewerPage v = viewers.get(i);
                v.awaitFrames(Duration.ofSeconds(20), "viewer " + i);
                Awaitility.await("viewer " + i + " receives audio").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                        .until(() -> v.stat("audioPacketsReceived") > 0);
                double fps = v.framesShownDuring(Duration.ofSeconds(2)) / 2.0;
                System.out.printf("encode-once viewer %d: %.1f fps, %dx%d%n", i, fps, v.stat("width"), v.stat("height"));
                assertThat(v.stat("width")).isEqualTo(320);
                assertThat(fps).as("viewer %d's frame rate", i).isGreaterThanOrEqualTo(20);
            }
            assertThat(webcam.viewers().viewerCount()).isEqualTo(2);
        }
    }

    /** The relay's session for a viewer page (by the page's peer id), once it exists. */
    static EncodedViewers.Viewer viewerOf(EncodedViewers viewers, ViewerPage page) {
        String id = page.peerId();
        return Awaitility.await("the relay's session for viewer " + id).atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> viewers.viewers().stream().filter(v -> v.peerId().equals(id)).findFirst().orElse(null),
                        v -> v != null);
    }

    /** Date.now() when the current window's video element has its first frame. */
    private static final String FIRST_FRAME_WALL_CLOCK = """
            const done = arguments[arguments.length - 1];
            const check = () => {
              const v = document.getElementById('remote');
              if (v && v.getVideoPlaybackQuality().totalVideoFrames > 0) { done(Date.now()); return true; }
              return false;
            };
            if (!check()) { const t = setInterval(() => { if (check()) clearInterval(t); }, 5); }
            """;
}
