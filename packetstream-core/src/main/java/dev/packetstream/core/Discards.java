package dev.packetstream.core;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Exact drop counters, one per {@link DiscardReason}: a stage's, or the stream's own. Atomic
 * (drops are off the hot path and must be exact under concurrent writers).
 */
final class Discards {
    private static final DiscardReason[] REASONS = DiscardReason.values();

    private final AtomicLongArray counts = new AtomicLongArray(REASONS.length);

    void count(DiscardReason reason) {
        counts.incrementAndGet(reason.ordinal());
    }

    long get(DiscardReason reason) {
        return counts.get(reason.ordinal());
    }

    long total() {
        long sum = 0;
        for (int i = 0; i < REASONS.length; i++) {
            sum += counts.get(i);
        }
        return sum;
    }

    /** The reasons with a count above zero, in declaration order. */
    Map<DiscardReason, Long> snapshot() {
        Map<DiscardReason, Long> m = null;
        for (DiscardReason r : REASONS) {
            long n = counts.get(r.ordinal());
            if (n > 0) {
                if (m == null) {
                    m = new EnumMap<>(DiscardReason.class);
                }
                m.put(r, n);
            }
        }
        return m == null ? Map.of() : Collections.unmodifiableMap(m);
    }
}
