package dev.packetstream.signaling;

import java.time.Duration;

/**
 * Reconnection delays: {@code initial}, doubling up to {@code max}, with up to 20% random jitter
 * so that many clients do not reconnect all at once after a server restart.
 *
 * @param maxAttempts reconnection attempts in a row before giving up; 0 for no reconnection,
 *                    {@link Integer#MAX_VALUE} for unlimited
 */
public record Backoff(Duration initial, Duration max, int maxAttempts) {
    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("back-off needs 0 < initial <= max, got initial " + initial
                    + " and max " + max);
        }
        if (maxAttempts < 0) {
            throw new IllegalArgumentException("maxAttempts must be >= 0, was " + maxAttempts);
        }
    }

    /** 250 ms doubling to 10 s, unlimited attempts. */
    public static Backoff defaults() {
        return new Backoff(Duration.ofMillis(250), Duration.ofSeconds(10), Integer.MAX_VALUE);
    }

    /** No reconnection: a lost connection stays lost. */
    public static Backoff none() {
        return new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), 0);
    }

    /**
     * The delay before attempt {@code attempt} (1-based).
     *
     * @param random a value in [0, 1) for the jitter
     */
    public Duration delay(int attempt, double random) {
        long base = initial.toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(Math.max(base, initial.toMillis()), max.toMillis());
        return Duration.ofMillis(capped + (long) (capped * 0.2 * random));
    }
}
