package dev.packetstream.samples.common;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts events and reports their rate since the previous reading. {@link #mark()} from any
 * thread; {@link #perSecond()} from one reader (the status line).
 */
public final class RateMeter {
    private final AtomicLong count = new AtomicLong();
    private long lastCount;
    private long lastNanos = System.nanoTime();
    private double lastRate;

    public void mark() {
        count.incrementAndGet();
    }

    public long count() {
        return count.get();
    }

    /** Events per second since the previous call (the previous value if called within 200 ms). */
    public synchronized double perSecond() {
        long now = System.nanoTime();
        long c = count.get();
        if (now - lastNanos < 200_000_000L) {
            return lastRate;
        }
        lastRate = (c - lastCount) * 1e9 / (now - lastNanos);
        lastCount = c;
        lastNanos = now;
        return lastRate;
    }
}
