package dev.packetstream.signaling.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes the whole server may hold in unfinished incoming messages and queued outgoing ones.
 * Every holder reserves before it keeps bytes and releases exactly what it reserved.
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

    /** Reserves {@code bytes} if they fit under the maximum; false (nothing reserved) if not. */
    public boolean tryReserve(long bytes) {
        while (true) {
            long now = used.get();
            if (now + bytes > max) {
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
