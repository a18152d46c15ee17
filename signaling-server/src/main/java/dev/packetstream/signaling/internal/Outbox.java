package dev.packetstream.signaling.internal;

import dev.packetstream.signaling.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * The writing side of one connection: bounds on the messages and bytes queued for it (its own and
 * the server's {@link MemoryBudget}), and the accounting of each message written to it.
 *
 * <h2>Threads</h2>
 * Any thread may write (relays come from other peers' connection threads); Jetty queues the frames
 * in call order. Callbacks run on Jetty threads.
 *
 * <h2>Accounting</h2>
 * A relayed message ends in exactly one of: {@code relayed} (written), {@link ErrorCode#SLOW_CONSUMER}
 * (this peer's queue is full, not written), {@link ErrorCode#SERVER_BUSY} (the server's budget is
 * used up, not written), {@link ErrorCode#SEND_FAILED} (the connection failed or closed first).
 * Bytes are counted as UTF-16 chars times one (ASCII JSON) plus the multi-byte excess: the UTF-8
 * length of the text.
 *
 * <h2>Holding</h2>
 * Between {@link #hold()} and {@link #release(String)} messages are kept, in order (at most
 * {@code maxPending} of them), and written after the message given to {@code release}: a peer
 * whose membership becomes known to others before its {@code joined} is written still gets
 * {@code joined} first. Without a hold, writing costs one volatile read more.
 */
public final class Outbox implements RelayTarget {
    /** A peer with more than this queued is a bulk holder of the budget (see {@link MemoryBudget}). */
    static final long BULK_BYTES = 64 * 1024;

    private final Session session;
    private final int maxPending;
    private final long maxPendingBytes;
    private final MemoryBudget budget;
    private final Counters counters;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong pendingBytes = new AtomicLong();
    private volatile long lastProgressNanos = System.nanoTime();
    private volatile boolean held;
    private List<Held> early; // guarded by this, while held

    private record Held(String text, boolean relayed) {
    }

    public Outbox(Session session, int maxPending, long maxPendingBytes, MemoryBudget budget, Counters counters) {
        this.session = session;
        this.maxPending = maxPending;
        this.maxPendingBytes = maxPendingBytes;
        this.budget = budget;
        this.counters = counters;
    }

    /** Keeps what is written from now on until {@link #release(String)}. */
    public synchronized void hold() {
        early = new ArrayList<>();
        held = true;
    }

    /** Writes {@code first} (unless null), then what was kept, and stops holding. */
    public synchronized void release(String first) {
        if (!held) {
            throw new IllegalStateException("release() without hold()");
        }
        held = false;
        if (first != null) {
            send(first, false);
        }
        for (Held message : early) {
            send(message.text(), message.relayed());
        }
        early = null;
    }

    /** Writes a relayed message; counted as relayed, slow-consumer, server-busy or send-failed. */
    @Override
    public void relay(String text) {
        write(text, true);
    }

    /** Writes a server message (joined, notices, errors, pong); only failures are counted. */
    public void notice(String text) {
        write(text, false);
    }

    private void write(String text, boolean relayed) {
        if (held) {
            synchronized (this) {
                if (held) {
                    if (early.size() >= maxPending) {
                        counters.rejected(ErrorCode.SLOW_CONSUMER);
                    } else {
                        early.add(new Held(text, relayed));
                    }
                    return;
                }
            }
        }
        send(text, relayed);
    }

    private void send(String text, boolean relayed) {
        long bytes = Utf8.length(text);
        if (pending.incrementAndGet() > maxPending) {
            pending.decrementAndGet();
            counters.rejected(ErrorCode.SLOW_CONSUMER);
            return;
        }
        long queued = pendingBytes.addAndGet(bytes);
        if (queued > maxPendingBytes) {
            pendingBytes.addAndGet(-bytes);
            pending.decrementAndGet();
            counters.rejected(ErrorCode.SLOW_CONSUMER);
            return;
        }
        if (!budget.tryReserve(bytes, queued > BULK_BYTES)) {
            pendingBytes.addAndGet(-bytes);
            pending.decrementAndGet();
            counters.rejected(ErrorCode.SERVER_BUSY);
            return;
        }
        if (pending.get() == 1) {
            lastProgressNanos = System.nanoTime(); // the queue was empty: waiting starts now
        }
        session.sendText(text, Callback.from(() -> {
            done(bytes);
            if (relayed) {
                counters.relayed.increment();
            }
        }, failure -> {
            done(bytes);
            counters.rejected(ErrorCode.SEND_FAILED);
        }));
    }

    private void done(long bytes) {
        lastProgressNanos = System.nanoTime();
        budget.release(bytes);
        pendingBytes.addAndGet(-bytes);
        pending.decrementAndGet();
    }

    /** Whether messages have been waiting, with none written, since before {@code sinceNanos}. */
    boolean stalledSince(long sinceNanos) {
        return pending.get() > 0 && lastProgressNanos - sinceNanos < 0;
    }

    public Session session() {
        return session;
    }
}
