package dev.packetstream.webrtc.encoded;

import com.sun.net.httpserver.HttpServer;
import dev.packetstream.core.peer.IceCandidate;
import dev.packetstream.core.peer.Signaller;
import dev.packetstream.signaling.testing.HeadlessChromium;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real headless Chromium peer connection in a page served from 127.0.0.1, signalled through
 * Selenium: it is the {@link Signaller} of the Java session it talks to. Every WebDriver call runs
 * on one thread of its own (WebDriver is not thread safe); the page's outgoing messages are polled
 * every 50 ms.
 */
final class BrowserPeer implements Signaller, AutoCloseable {
    /** Chromium hides host addresses behind mDNS names by default, which libnice cannot resolve. */
    static final List<String> FLAGS = List.of("--disable-features=WebRtcHideLocalIpsWithMdns");

    private final HttpServer http;
    private final HeadlessChromium chromium;
    private final ScheduledExecutorService driverThread;
    private volatile Listener listener;

    BrowserPeer() {
        try {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        http.createContext("/", exchange -> {
            try (InputStream in = BrowserPeer.class.getResourceAsStream("/web/peer.html")) {
                byte[] page = in.readAllBytes();
                exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, page.length);
                exchange.getResponseBody().write(page);
            } finally {
                exchange.close();
            }
        });
        http.start();
        driverThread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "browser-peer-driver");
            t.setDaemon(true);
            return t;
        });
        HeadlessChromium c;
        try {
            c = call(() -> {
                HeadlessChromium b = HeadlessChromium.launch(FLAGS);
                b.open(URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/peer.html"));
                return b;
            });
        } catch (RuntimeException e) {
            http.stop(0);
            driverThread.shutdownNow();
            throw e;
        }
        chromium = c;
        driverThread.scheduleWithFixedDelay(this::poll, 50, 50, TimeUnit.MILLISECONDS);
    }

    /** Sets up the page's peer connection: a viewer, or a publisher of the fake camera and microphone. */
    BrowserPeer start(boolean publish, String videoCodec) {
        call(() -> chromium.script("return psStart(arguments[0], arguments[1]);", publish, videoCodec));
        return this;
    }

    /** A publisher of the fake camera at {@code width} x {@code height}, and the microphone. */
    BrowserPeer publish(String videoCodec, int width, int height) {
        call(() -> chromium.script("return psStart(true, arguments[0], arguments[1], arguments[2]);", videoCodec, width, height));
        return this;
    }

    /** The SDP the page applied as its remote description (the Java session's offer or answer). */
    String remoteDescription() {
        return call(() -> String.valueOf(chromium.script("return ps.pc.remoteDescription ? ps.pc.remoteDescription.sdp : '';")));
    }

    /** The page makes an offer (a publisher offering to a Java receiver). */
    void offer() {
        call(() -> chromium.script("return psOffer().then(() => true);"));
    }

    /** The page's getStats summary: framesDecoded, width, height, audioPackets, videoCodec, framesEncoded ... */
    @SuppressWarnings("unchecked")
    Map<String, Object> stats() {
        return call(() -> (Map<String, Object>) chromium.script("return psStats();"));
    }

    long stat(String key) {
        Object v = stats().get(key);
        return v instanceof Number n ? n.longValue() : 0;
    }

    @SuppressWarnings("unchecked")
    List<String> pageErrors() {
        return call(() -> (List<String>) chromium.script("return ps.errors;"));
    }

    @Override
    public void bind(Listener l) {
        this.listener = l;
    }

    @Override
    public void sendOffer(String sdp) {
        driverThread.execute(() -> chromium.script("psOnOffer(arguments[0]);", sdp));
    }

    @Override
    public void sendAnswer(String sdp) {
        driverThread.execute(() -> chromium.script("psOnAnswer(arguments[0]);", sdp));
    }

    @Override
    public void sendCandidate(IceCandidate c) {
        driverThread.execute(() -> chromium.script("psOnCandidate({candidate: arguments[0], sdpMid: arguments[1], "
                + "sdpMLineIndex: arguments[2]});", c.candidate(), c.sdpMid(), c.sdpMLineIndex()));
    }

    @Override
    public void sendBye() {
        driverThread.execute(() -> chromium.script("psClose();"));
    }

    @SuppressWarnings("unchecked")
    private void poll() {
        Listener l = listener;
        if (l == null) {
            return;
        }
        List<Map<String, Object>> messages;
        try {
            messages = (List<Map<String, Object>>) chromium.script("return ps.outbox.splice(0);");
        } catch (RuntimeException e) {
            return; // closing
        }
        for (Map<String, Object> m : messages) {
            switch ((String) m.get("type")) {
                case "offer" -> l.onOffer((String) m.get("sdp"));
                case "answer" -> l.onAnswer((String) m.get("sdp"));
                case "candidate" -> {
                    Number index = (Number) m.get("sdpMLineIndex");
                    l.onCandidate(new IceCandidate((String) m.get("sdpMid"), index == null ? null : index.intValue(),
                            (String) m.get("candidate")));
                }
                default -> { }
            }
        }
    }

    private <T> T call(Callable<T> c) {
        try {
            return driverThread.submit(c).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the browser did not answer within 60 s", e);
        }
    }

    /** Frames the page decoded per second over {@code window}. */
    double decodedFps(Duration window) {
        long f0 = stat("framesDecoded");
        long t0 = System.nanoTime();
        long f1 = f0;
        long t1 = t0;
        while (t1 - t0 < window.toNanos()) { // bounded: each round is one getStats round trip
            f1 = stat("framesDecoded");
            t1 = System.nanoTime();
        }
        return (f1 - f0) / ((t1 - t0) / 1e9);
    }

    @Override
    public void close() {
        try {
            call(() -> {
                chromium.close();
                return null;
            });
        } finally {
            driverThread.shutdownNow();
            http.stop(0);
        }
    }
}
