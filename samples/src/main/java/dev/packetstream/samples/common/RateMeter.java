package dev.packetstream.samples.common;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Reports the rate of a growing count since the previous reading: events {@link #mark()}ed here
 * from any thread, or a counter read from elsewhere. {@link #perSecond()} from one reader (the
 * status line).
 */
public final class RateMeter {
    private final AtomicLong marks = new AtomicLong();
    private final LongSupplier counter;
    private long lastCount;
    private long lastNanos = System.nanoTime();
    private double lastRate;

    /** A meter of its own {@link #mark()}s. */
    public RateMeter() {
        this.counter = marks::get;
    }

    /** A meter of an external counter. */
    public RateMeter(LongSupplier counter) {
        this.counter = counter;
    }

    public void mark() {
        marks.incrementAndGet();
    }

    public long count() {
        return counter.getAsLong();
    }

    /** Events per second since the previous call (the previous value if called within 200 ms). */
    public synchronized double perSecond() {
        long now = System.nanoTime();
        long c = counter.getAsLong();
        if (now - lastNanos < 200_000_000L) {
            return lastRate;
        }
        lastRate = (c - lastCount) * 1e9 / (now - lastNanos);
        lastCount = c;
        lastNanos = now;
        return lastRate;
    }
}
