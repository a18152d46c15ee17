package dev.packetstream.core;

/**
 * Per-stage counters. Incremented without atomics on the hot path: exact with one writing thread
 * per stage, and may undercount when several threads write through the same stage at once. Drop
 * counts that must be exact (queues, late packets) are kept atomically elsewhere.
 */
final class StageCounters {
    long in;
    long out;
    long passedBy;
    volatile long errors;
}
