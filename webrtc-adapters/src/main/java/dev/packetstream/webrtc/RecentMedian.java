package dev.packetstream.webrtc;

import java.util.Arrays;

/**
 * The median of the last {@code n} values added: filters a measure that jitters (e.g. by when a
 * thread happened to run) around a steady value. Not thread-safe: one thread adds and reads.
 */
final class RecentMedian {
    private final long[] values;
    private final long[] sorted;
    private int count;
    private int next;

    RecentMedian(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a median of the last " + n + " values: n must be at least 1");
        }
        values = new long[n];
        sorted = new long[n];
    }

    void add(long v) {
        values[next] = v;
        next = (next + 1) % values.length;
        count = Math.min(count + 1, values.length);
    }

    /** The median of the values held (the upper one of the middle two when even); 0 before the first. */
    long median() {
        if (count == 0) {
            return 0;
        }
        System.arraycopy(values, 0, sorted, 0, count);
        Arrays.sort(sorted, 0, count);
        return sorted[count / 2];
    }
}
