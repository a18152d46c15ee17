package dev.packetstream.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.packetstream.core.media.FrameSize;
import dev.packetstream.samples.common.ServerOptions;
import dev.packetstream.samples.common.SourceOptions;
import dev.packetstream.samples.common.WebRtcOptions;
import dev.packetstream.samples.webcam.WebcamToBrowser;
import dev.packetstream.signaling.testing.HeadlessChromium;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class WebcamToBrowserTest {

    @BeforeAll
    static void browser() {
        HeadlessChromium.assumeAvailable();
    }

    static SourceOptions testPattern(FrameSize size) {
        SourceOptions s = new SourceOptions();
        s.testPattern = true;
        s.size = size;
        s.fps = 30;
        return s;
    }

    static WebRtcOptions rtc() {
        WebRtcOptions r = new WebRtcOptions();
        r.codec = dev.packetstream.core.media.VideoCodec.VP8;
        r.maxBitrateKbps = 2500;
        r.minBitrateKbps = 600;
        return r;
    }

    @Test
    void aViewerPageDecodesFiftyFramesInFiveSecondsAtTheConfiguredSizeAndReceivesAudioWithOneCopyPerFrame() {
        FrameSize size = new FrameSize(640, 360);
        try (WebcamToBrowser sample = WebcamToBrowser.start(ServerOptions.of(0, "webcam-test", true), testPattern(size), rtc());
             HeadlessChromium chromium = HeadlessChromium.launch()) {
            ViewerPage viewer = new ViewerPage(chromium, chromium.open(sample.viewerPage()));
            viewer.awaitFrames(Duration.ofSeconds(20), "the viewer");

            long frames = viewer.framesShownDuring(Duration.ofSeconds(5));

            assertThat(frames).as("frames shown in 5 s").isGreaterThanOrEqualTo(50);
            chromium.waitFor(Duration.ofSeconds(5), "stats show the configured size and audio packets",
                    "return window.psStats.width === " + size.width() + " && window.psStats.height === " + size.height()
                            + " && window.psStats.audioPacketsReceived > 0;");
            assertThat(viewer.stat("audioPacketsReceived")).isPositive();
            assertThat(sample.viewers().viewerCount()).isEqualTo(1);
            assertThat(sample.copiesBeforeSenders()).as("copies before the sender (the sender's own is the one per frame)").isZero();
            assertThat(sample.viewers().links().get(0).sender().framesSent()).isPositive();
        }
    }

    @Test
    void twoViewerPagesEachGetVideoAndAudioAndOneLeavingLeavesTheOtherPlaying() {
        try (WebcamToBrowser sample = WebcamToBrowser.start(ServerOptions.of(0, "webcam-two", true),
                testPattern(new FrameSize(320, 240)), rtc());
             HeadlessChromium chromium = HeadlessChromium.launch()) {
            ViewerPage first = new ViewerPage(chromium, chromium.open(sample.viewerPage()));
            ViewerPage second = new ViewerPage(chromium, chromium.newWindow(sample.viewerPage()));
            for (ViewerPage v : java.util.List.of(first, second)) {
                v.awaitFrames(Duration.ofSeconds(20), "viewer " + v.window());
                chromium.waitFor(Duration.ofSeconds(10), "audio packets at " + v.window(),
                        "return window.psStats.audioPacketsReceived > 0;");
            }
            chromium.switchTo(first.window());
            chromium.driver().close();
            org.awaitility.Awaitility.await("one viewer left").atMost(Duration.ofSeconds(10))
                    .until(() -> sample.viewers().viewerCount() == 1);

            assertThat(second.framesShownDuring(Duration.ofSeconds(2))).as("frames at the remaining viewer in 2 s").isGreaterThanOrEqualTo(20);
        }
    }

    @Test
    void aViewerPageLeftOpenAcrossARestartOfTheSampleGetsAPictureAgain() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        ServerOptions options = ServerOptions.of(port, "webcam-restart", true);
        try (HeadlessChromium chromium = HeadlessChromium.launch()) {
            ViewerPage viewer;
            try (WebcamToBrowser first = WebcamToBrowser.start(options, testPattern(new FrameSize(320, 240)), rtc())) {
                viewer = new ViewerPage(chromium, chromium.open(first.viewerPage()));
                viewer.awaitFrames(Duration.ofSeconds(20), "the viewer of the first run");
            }
            try (WebcamToBrowser second = WebcamToBrowser.start(options, testPattern(new FrameSize(320, 240)), rtc())) {
                // The page reconnects by itself and is already in the room when the sample joins.
                chromium.waitFor(Duration.ofSeconds(30), "the reconnected page decodes the second run",
                        "return window.psStats.framesDecoded > 0 && window.psStats.connectionState === 'connected';");
                assertThat(viewer.framesShownDuring(Duration.ofSeconds(2))).isGreaterThanOrEqualTo(20);
                assertThat(second.viewers().viewerCount()).isEqualTo(1);
            }
        }
    }
}
