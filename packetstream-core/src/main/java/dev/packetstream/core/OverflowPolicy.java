package dev.packetstream.core;

/** What a full queue does with a new packet. Every drop is counted. */
public enum OverflowPolicy {
    /** Drops the oldest waiting packet to make room: fresh data wins (live media). The default. */
    DROP_OLDEST,
    /** Drops the new packet: what is queued wins. */
    DROP_NEWEST,
    /** The writer waits for room: backpressure, nothing is dropped while the queue runs. */
    BLOCK
}
