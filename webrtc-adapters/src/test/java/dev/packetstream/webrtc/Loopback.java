package dev.packetstream.webrtc;

import dev.packetstream.core.peer.InMemorySignaller;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Two runtimes in one JVM, one session each, joined by an {@link InMemorySignaller} pair, with
 * host candidates on 127.0.0.1 only. Closing it closes both runtimes (sessions included).
 */
final class Loopback implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    final RtcRuntime rtcA;
    final RtcRuntime rtcB;
    final PeerSession a;
    final PeerSession b;

    Loopback(String name, PeerSessionConfig config) {
        rtcA = new RtcRuntime(name + "-A");
        RtcRuntime rb = null;
        try {
            rb = new RtcRuntime(name + "-B");
            InMemorySignaller.Pair link = InMemorySignaller.pair();
            a = rtcA.newSession("a", config, link.a());
            b = rb.newSession("b", config, link.b());
        } catch (RuntimeException e) {
            if (rb != null) {
                rb.close();
            }
            rtcA.close();
            throw e;
        }
        rtcB = rb;
    }

    private Loopback(RtcRuntime rtcA, RtcRuntime rtcB, PeerSession a, PeerSession b) {
        this.rtcA = rtcA;
        this.rtcB = rtcB;
        this.a = a;
        this.b = b;
    }

    /** New sessions on the same runtimes. */
    Loopback withSessions(String nameA, String nameB, InMemorySignaller.Pair link) {
        return new Loopback(rtcA, rtcB, rtcA.newSession(nameA, PeerSessionConfig.loopback(), link.a()),
                rtcB.newSession(nameB, PeerSessionConfig.loopback(), link.b()));
    }

    Loopback(String name) {
        this(name, PeerSessionConfig.loopback());
    }

    /** A offers, B answers; waits for both to be connected. */
    void connect() throws Exception {
        a.negotiate().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        a.connected().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        b.connected().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        try {
            rtcA.close();
        } finally {
            rtcB.close();
        }
    }
}
