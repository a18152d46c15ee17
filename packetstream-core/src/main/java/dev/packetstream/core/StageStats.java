package dev.packetstream.core;

/**
 * A snapshot of one stage's counters.
 *
 * @param stage      the stage's name
 * @param kind       "source", "processor" or "sink"
 * @param order      the processor's order (0 for sources and sinks)
 * @param retention  what the stage declared (null for sinks)
 * @param in         packets handed to the stage (for processors: packets it accepted)
 * @param out        packets the stage emitted
 * @param passedBy   packets the processor did not accept, passed on unchanged
 * @param dropped    packets the stage dropped by its own policy (queues)
 * @param errors     exceptions the stage threw
 * @param queueDepth packets waiting in the stage now (queues)
 */
public record StageStats(String stage, String kind, int order, Retention retention, long in, long out,
                         long passedBy, long dropped, long errors, int queueDepth) {
}
