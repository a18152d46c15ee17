package dev.packetstream.core;

/**
 * Sees every packet a stream's stages discard, with the stage and the reason: for tests that
 * assert exactly what was dropped and why, and for diagnostics.
 *
 * <h2>Threads</h2>
 * Runs synchronously on the thread that discards (a writer, a queue's worker or loop), before the
 * stage gives back its hold on the packet. Keep it short; it must not throw.
 *
 * <h2>Ownership</h2>
 * The packet is lent for the call: {@link Packet#copy()} it to keep it.
 */
@FunctionalInterface
public interface DiscardListener {
    /**
     * A packet was discarded.
     *
     * @param stage  the stage that dropped it; the stream's own drops (writes while it is not
     *               active, late packets after close) name the stream
     * @param packet the packet, lent for the call; null when what was dropped had no packet of its
     *               own (a frame a native decoder flagged as corrupt)
     * @param reason why
     */
    void onDiscard(String stage, Packet packet, DiscardReason reason);
}
