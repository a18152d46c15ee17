package dev.packetstream.core;

import java.util.EnumMap;
import java.util.Map;

/** A branch's in/out/errors (plain hot-path counters), or the summed figures of the branches that left. */
final class BranchFigures extends CounterPadding.PadRight {
    long out;
    volatile long errors;
    /** Only for the branches that left: their drops by reason. */
    private final Map<DiscardReason, Long> reasons = new EnumMap<>(DiscardReason.class);
    long dropped;

    StageStats stats(String name, int order, Retention retention, int depth, Map<DiscardReason, Long> byReason) {
        long d = 0;
        for (long n : byReason.values()) {
            d += n;
        }
        return new StageStats(name, StageKind.BRANCH, order, retention, in, out, 0, d, errors, depth, byReason);
    }

    /** Adds a departed branch's figures (the caller holds this object's monitor). */
    void add(BranchFigures f, Map<DiscardReason, Long> byReason) {
        in += f.in;
        out += f.out;
        errors += f.errors;
        byReason.forEach((r, n) -> {
            reasons.merge(r, n, Long::sum);
            dropped += n;
        });
    }

    Map<DiscardReason, Long> reasons() {
        return new EnumMap<>(reasons);
    }
}
