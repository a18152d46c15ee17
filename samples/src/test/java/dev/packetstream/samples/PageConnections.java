package dev.packetstream.samples;

import dev.packetstream.signaling.testing.HeadlessChromium;
import java.time.Duration;
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Test aid: makes every page the browser loads from now on keep its {@code RTCPeerConnection}s in
 * {@code window.__pcs} (a script run before the page's own, through the DevTools protocol), so a
 * test can read the browser's own figures (frames encoded, codec) from getStats without the pages
 * exposing them.
 */
final class PageConnections {
    private static final String TRACK = """
            (() => {
              const Original = window.RTCPeerConnection;
              window.__pcs = [];
              window.RTCPeerConnection = function (...args) { const pc = new Original(...args); window.__pcs.push(pc); return pc; };
              window.RTCPeerConnection.prototype = Original.prototype;
            })();
            """;

    /** Sums the outbound video of every connection: frames encoded, and the codec's mime type. */
    private static final String OUTBOUND = """
            const done = arguments[arguments.length - 1];
            const [waitMs, then] = [arguments[0], arguments[1]];
            setTimeout(async () => {
              let framesEncoded = 0, codec = '';
              for (const pc of window.__pcs || []) {
                const stats = await pc.getStats();
                stats.forEach(r => {
                  if (r.type === 'outbound-rtp' && r.kind === 'video') {
                    framesEncoded += r.framesEncoded || 0;
                    const c = r.codecId && stats.get(r.codecId);
                    if (c) codec = c.mimeType;
                  }
                });
              }
              if (then) eval(then);
              done({ framesEncoded, codec });
            }, waitMs);
            """;

    private PageConnections() {
    }

    /** From now on, pages loaded in {@code chromium} keep their peer connections in {@code window.__pcs}. */
    static void track(HeadlessChromium chromium) {
        ((ChromeDriver) chromium.driver()).executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", TRACK));
    }

    /** The browser's outbound video in the current window: {@code framesEncoded} (long) and {@code codec} (e.g. video/VP8). */
    static Map<String, Object> outboundVideo(HeadlessChromium chromium) {
        return outboundVideoAfter(chromium, Duration.ZERO, null);
    }

    /**
     * Waits {@code wait} in the page (a browser timer), reads the outbound video as
     * {@link #outboundVideo} does, then runs {@code thenScript} (e.g. the page's stop), all in one
     * script so that nothing is encoded between the reading and the stop but the frame in flight.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> outboundVideoAfter(HeadlessChromium chromium, Duration wait, String thenScript) {
        chromium.driver().manage().timeouts().scriptTimeout(wait.plusSeconds(10));
        return (Map<String, Object>) ((JavascriptExecutor) chromium.driver()).executeAsyncScript(OUTBOUND, wait.toMillis(), thenScript);
    }
}
