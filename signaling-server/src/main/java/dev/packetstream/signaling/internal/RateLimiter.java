package dev.packetstream.signaling.internal;

/**
 * A token bucket: {@code perSecond} tokens per second, holding at most one second's worth.
 *
 * <h2>Threads</h2>
 * Not thread-safe: one per connection, used from the connection's (serial) message callbacks.
 */
final class RateLimiter {
    private final int perSecond;
    private double tokens;
    private long lastNanos;
    private long lastWarningNanos = Long.MIN_VALUE;

    RateLimiter(int perSecond, long nowNanos) {
        this.perSecond = perSecond;
        this.tokens = perSecond;
        this.lastNanos = nowNanos;
    }

    /** Takes one token if there is one. */
    boolean tryAcquire(long nowNanos) {
        tokens = Math.min(perSecond, tokens + (nowNanos - lastNanos) * perSecond / 1e9);
        lastNanos = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /**
     * Whether a rate-limited error should be sent now: at most one per second, so that a flood does
     * not get an equal flood of errors back (the excess is still counted).
     */
    boolean shouldWarn(long nowNanos) {
        if (lastWarningNanos == Long.MIN_VALUE || nowNanos - lastWarningNanos >= 1_000_000_000L) {
            lastWarningNanos = nowNanos;
            return true;
        }
        return false;
    }
}
