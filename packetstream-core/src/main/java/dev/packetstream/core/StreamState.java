package dev.packetstream.core;

/**
 * The states of a {@link PacketStream}.
 *
 * <pre>
 *   NONE ──start──▶ ACTIVE ◀──resume── PAUSED
 *                     │  └────pause───▶  │
 *                     └──stop──▶ STOPPING ◀┘──▶ STOPPED ──start──▶ ACTIVE
 *   any ──close──▶ CLOSED          any running state ──processor error──▶ ERROR ──▶ CLOSED
 * </pre>
 */
public enum StreamState {
    /** Built, never started: topology may change. */
    NONE,
    /** Packets flow. */
    ACTIVE,
    /** Writes are dropped (and counted); queues keep delivering what they hold. */
    PAUSED,
    /** Sources stopped; queues drain; processors flush. Writes are dropped. */
    STOPPING,
    /** Stopped: topology may change and the stream may start again. Writes are dropped. */
    STOPPED,
    /** A stage failed. The stream closes itself unless told otherwise. */
    ERROR,
    /** Closed for good: late packets are counted and dropped. */
    CLOSED;

    /** Whether the topology may be changed in this state. */
    public boolean allowsTopologyChange() {
        return this == NONE || this == STOPPED;
    }
}
