package dev.packetstream.core;

/**
 * Counters of a source or a sink (processors keep theirs in {@link ProcessorStage}). Incremented
 * without atomics on the hot path: exact with one writing thread, and may undercount when several
 * threads write through the same stage at once. Drop counts that must be exact (queues, late
 * packets) are kept atomically elsewhere.
 */
final class StageCounters {
    /** Sources: packets written. */
    long out;
    /** Sinks: packets received. */
    long in;
    volatile long errors;
}
