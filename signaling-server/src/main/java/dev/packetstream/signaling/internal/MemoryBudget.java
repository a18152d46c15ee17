package dev.packetstream.signaling.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes the whole server may hold for one purpose (unfinished incoming messages, or queued outgoing
 * ones). Every holder reserves before it keeps bytes and releases exactly what it reserved.
 *
 * <h2>Fairness</h2>
 * A <em>bulk</em> reservation (a holder that already holds a lot: a long unfinished message, a
 * peer with a long queue) succeeds only while the budget is under three quarters full. The last
 * quarter is kept for small holders, so that connections that hold much (attackers, peers that
 * do not read) cannot take the room the well-behaved ones need for their next message.
 *
 * <h2>Threads</h2>
 * Lock-free; any thread.
 */
public final class MemoryBudget {
    private final long max;
    private final AtomicLong used = new AtomicLong();

    public MemoryBudget(long max) {
        this.max = max;
    }

    /**
     * Reserves {@code bytes} if they fit under the maximum (three quarters of it when {@code bulk});
     * false (nothing reserved) if not.
     */
    public boolean tryReserve(long bytes, boolean bulk) {
        long limit = bulk ? max - max / 4 : max;
        while (true) {
            long now = used.get();
            if (now + bytes > limit) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    public void release(long bytes) {
        long after = used.addAndGet(-bytes);
        if (after < 0) {
            throw new IllegalStateException("memory budget released more than was reserved (" + after + ")");
        }
    }

    public long used() {
        return used.get();
    }

    public long max() {
        return max;
    }
}
