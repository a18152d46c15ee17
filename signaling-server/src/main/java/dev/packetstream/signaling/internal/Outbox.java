package dev.packetstream.signaling.internal;

import dev.packetstream.signaling.ErrorCode;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * The writing side of one connection: a bound on the messages queued for it, and the accounting
 * of each message written to it.
 *
 * <h2>Threads</h2>
 * Any thread may write (relays come from other peers' connection threads); Jetty queues the frames
 * in call order. Callbacks run on Jetty threads.
 *
 * <h2>Accounting</h2>
 * A relayed message ends in exactly one of: {@code relayed} (written), {@link ErrorCode#SLOW_CONSUMER}
 * (queue full, not written), {@link ErrorCode#SEND_FAILED} (the connection failed or closed first).
 */
public final class Outbox {
    private final Session session;
    private final int maxPending;
    private final Counters counters;
    private final AtomicInteger pending = new AtomicInteger();

    public Outbox(Session session, int maxPending, Counters counters) {
        this.session = session;
        this.maxPending = maxPending;
        this.counters = counters;
    }

    /** Writes a relayed message; counted as relayed, slow-consumer or send-failed. */
    public void relay(String text) {
        write(text, true);
    }

    /** Writes a server message (joined, notices, errors, pong); only failures are counted. */
    public void notice(String text) {
        write(text, false);
    }

    private void write(String text, boolean relayed) {
        if (pending.incrementAndGet() > maxPending) {
            pending.decrementAndGet();
            counters.rejected(ErrorCode.SLOW_CONSUMER);
            return;
        }
        session.sendText(text, Callback.from(() -> {
            pending.decrementAndGet();
            if (relayed) {
                counters.relayed.increment();
            }
        }, failure -> {
            pending.decrementAndGet();
            counters.rejected(ErrorCode.SEND_FAILED);
        }));
    }

    public Session session() {
        return session;
    }
}
