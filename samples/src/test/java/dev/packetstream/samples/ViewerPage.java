package dev.packetstream.samples;

import dev.packetstream.samples.common.RoomSample;
import dev.packetstream.signaling.testing.HeadlessChromium;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.JavascriptExecutor;

/**
 * Reads the viewer page ({@code viewer.html}) of the signaling server from a test: its
 * {@code window.psStats} (refreshed once a second from getStats) and, for exact timing, the video
 * element's own frame counter.
 */
final class ViewerPage {
    private final HeadlessChromium chromium;
    private final String window;

    ViewerPage(HeadlessChromium chromium, String window) {
        this.chromium = chromium;
        this.window = window;
    }

    /**
     * Opens {@code sample}'s publisher page (the browser's fake camera), waits until it sends
     * frames, then opens {@code count} viewer pages, each in a new window.
     *
     * @return the viewer pages, in a list the caller may add to
     */
    static List<ViewerPage> publishAndView(HeadlessChromium chromium, RoomSample sample, int count) {
        chromium.open(sample.publisherPage());
        chromium.waitFor(Duration.ofSeconds(20), "the publisher connects to the relay", "return window.psPublisher.framesSent > 0;");
        List<ViewerPage> viewers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            viewers.add(new ViewerPage(chromium, chromium.newWindow(sample.viewerPage())));
        }
        return viewers;
    }

    /** Frames the video element has received from the decoder so far (updated live, not once a second). */
    long framesShown() {
        chromium.switchTo(window);
        Object n = chromium.script("const v = document.getElementById('remote');"
                + " return v && v.getVideoPlaybackQuality ? v.getVideoPlaybackQuality().totalVideoFrames : 0;");
        return ((Number) n).longValue();
    }

    long stat(String name) {
        chromium.switchTo(window);
        Object n = chromium.script("return window.psStats." + name + " || 0;");
        return ((Number) n).longValue();
    }

    double fps() {
        chromium.switchTo(window);
        return ((Number) chromium.script("return window.psStats.fps || 0;")).doubleValue();
    }

    /** Waits until the page shows frames. */
    void awaitFrames(Duration timeout, String who) {
        chromium.switchTo(window);
        chromium.waitFor(timeout, who + " shows video frames",
                "const v = document.getElementById('remote');"
                        + " return !!v && v.getVideoPlaybackQuality().totalVideoFrames > 0 && window.psStats.framesDecoded > 0;");
    }

    /**
     * Frames shown during the next {@code period}, counted by the page itself: it reads the video
     * element's frame counter, waits with a browser timer, and reads it again.
     */
    long framesShownDuring(Duration period) {
        chromium.switchTo(window);
        chromium.driver().manage().timeouts().scriptTimeout(period.plusSeconds(10));
        Object n = ((JavascriptExecutor) chromium.driver()).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + " const v = document.getElementById('remote');"
                        + " const start = v.getVideoPlaybackQuality().totalVideoFrames;"
                        + " setTimeout(() => done(v.getVideoPlaybackQuality().totalVideoFrames - start), arguments[0]);",
                period.toMillis());
        return ((Number) n).longValue();
    }

    /** Number of application events the page received. */
    long events() {
        chromium.switchTo(window);
        return ((Number) chromium.script("return window.psEvents.length;")).longValue();
    }

    /** The page's peer id in the room (once joined). */
    String peerId() {
        chromium.switchTo(window);
        return (String) chromium.waitFor(Duration.ofSeconds(10), "the viewer page joins",
                d -> chromium.script("return window.psSignal && window.psSignal.selfId;"));
    }

    String window() {
        return window;
    }
}
