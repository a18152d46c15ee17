package dev.packetstream.core;

import java.util.Map;

/**
 * A snapshot of one stage's counters.
 *
 * @param stage      the stage's name (a branch: {@code group/branch})
 * @param kind       source, processor, branch or sink
 * @param order      the processor's order (a branch: its group's; 0 for sources and sinks)
 * @param retention  what the stage declared (null for sinks)
 * @param in         packets handed to the stage (for processors: packets it accepted)
 * @param out        packets the stage emitted (a branch: packets its sink took)
 * @param passedBy   packets the processor did not accept, passed on unchanged
 * @param dropped    packets the stage discarded, all reasons together
 * @param errors     exceptions the stage threw
 * @param queueDepth packets waiting in the stage now (queues)
 * @param discarded  the stage's discards by reason (only reasons that occurred)
 */
public record StageStats(String stage, StageKind kind, int order, Retention retention, long in, long out,
                         long passedBy, long dropped, long errors, int queueDepth,
                         Map<DiscardReason, Long> discarded) {
    public StageStats {
        discarded = Map.copyOf(discarded);
    }

    /** Packets discarded for this reason. */
    public long discarded(DiscardReason reason) {
        return discarded.getOrDefault(reason, 0L);
    }
}
