package dev.packetstream.core;

/**
 * Counters of a source, a sink or one side of the stream (processors keep theirs in
 * {@link ProcessorStage}): {@code in} on the hot path, padded against false sharing. Incremented
 * without atomics: exact with one writing thread, and may undercount when several threads write
 * through the same stage at once. Drop counts that must be exact (queues, late packets) are kept
 * atomically elsewhere.
 */
final class StageCounters extends CounterPadding.PadRight {
    volatile long errors;
}
