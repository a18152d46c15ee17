package dev.packetstream.core;

/** Options for attaching an adapter to a {@link PacketStream}. */
public enum AttachOption {
    /** The stream starts and stops the source with itself (the source must be {@link Startable}). */
    SYNC_STATE,
    /** The stream closes the adapter (which must be {@link AutoCloseable}) when it is closed. */
    CLOSE_WITH_STREAM
}
