package dev.packetstream.samples.common;

import dev.packetstream.signaling.PeerInfo;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one browser publisher a sample receives at a time: a new one replaces the previous (which is
 * closed), the one that leaves is closed, and closing the slot closes the current one and refuses
 * new ones. Thread-safe: offers and departures come on the signaling client's thread, readers
 * (status line, keyframe requests) on any.
 *
 * @param <P> what one publisher holds (its session, its stream); closing it must be quick
 */
final class PublisherSlot<P extends PublisherSlot.Connected> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PublisherSlot.class);

    /** One connected publisher: its peer id and what closes it. */
    interface Connected extends AutoCloseable {
        String peerId();

        @Override
        void close();
    }

    private final AtomicReference<P> current = new AtomicReference<>();
    private volatile boolean closed;

    /** Whether the slot is closed (offers are then ignored). */
    boolean isClosed() {
        return closed;
    }

    /** The connected publisher, or null. */
    P current() {
        return current.get();
    }

    /** {@code publisher} connected: it replaces (and closes) the previous one. */
    void connected(P publisher) {
        P previous = current.getAndSet(publisher);
        if (previous != null) {
            previous.close();
        }
        log.info("publisher {} connected", publisher.peerId());
    }

    /** The peer left: if it was the publisher, close it. */
    void peerLeft(PeerInfo peer) {
        P p = current.get();
        if (p != null && p.peerId().equals(peer.id()) && current.compareAndSet(p, null)) {
            p.close();
            log.info("publisher {} left", peer.id());
        }
    }

    /** Closes the current publisher; later offers are ignored. Idempotent. */
    @Override
    public void close() {
        closed = true;
        P p = current.getAndSet(null);
        if (p != null) {
            p.close();
        }
    }
}
