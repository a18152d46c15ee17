package dev.packetstream.core;

import java.util.Objects;

/**
 * The base of sources and processors: a named stage with an emitter and a declared
 * {@link Retention}.
 *
 * <h2>Ownership</h2>
 * The retention an adapter declares is its contract with the graph: {@link Retention#BORROWED}
 * adapters touch a packet only during the call that lends it; {@link Retention#CLONED} and
 * {@link Retention#RETAINED} adapters copy or retain what they keep before the call returns.
 * Checked mode ({@link Ownership}) enforces this.
 *
 * <h2>Dropping a packet</h2>
 * Every drop goes through {@link #discard(Packet, DiscardReason)} (a packet lent to the current
 * call) or {@link #discardHeld(Packet, DiscardReason)} (a packet this stage holds: retained,
 * copied or made by it): counted per reason, shown by {@link PacketStream#stats()} and
 * {@link PacketStream#describe()}, and reported to the stream's {@link DiscardListener}s.
 *
 * <h2>Threads</h2>
 * {@link #emit(Packet)} runs the downstream stages synchronously on the calling thread.
 * {@code discard} may be called from any thread. An adapter belongs to at most one stream at a
 * time.
 */
public abstract class PacketStreamAdapter {
    private static final PacketSink NOT_CONNECTED = p -> { };

    private final String name;
    private final Retention retention;
    /**
     * The next stage. Plain (not volatile): the stream writes it before it publishes ACTIVE with a
     * volatile write, and every emitting thread reads that state (or was started) afterwards.
     */
    private PacketSink output = NOT_CONNECTED;
    private volatile PacketStream stream;
    private final Discards discards = new Discards();

    protected PacketStreamAdapter(String name, Retention retention) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an adapter needs a name: it names the stage in stats and errors");
        }
        this.name = name;
        this.retention = Objects.requireNonNull(retention, "retention");
    }

    /** The stage's name, used in stats, {@link PacketStream#describe()} and errors. */
    public final String name() {
        return name;
    }

    /** What this adapter does with the packets it is handed. */
    public final Retention retention() {
        return retention;
    }

    /**
     * Sends a packet to the next stage, synchronously. An adapter that is not attached to a
     * started stream drops it.
     */
    protected final void emit(Packet packet) {
        output.accept(packet);
    }

    /**
     * Reports a failure of this adapter outside a call the stream made into it (for example a
     * source whose input breaks part-way): the stream moves to {@link StreamState#ERROR}, its
     * error listeners get a {@link StageException} naming this adapter, and it closes (by
     * default). Does nothing when the adapter is not attached.
     */
    protected final void fail(Throwable cause) {
        PacketStream s = stream;
        if (s != null) {
            s.fail(name, cause);
        }
    }

    /**
     * Drops a packet lent to the current call: counts it under {@code reason} and reports it to
     * the stream's discard listeners. The lender keeps its reference (and releases it): a
     * reference-counted packet is not released here. {@code packet} may be null when what is
     * dropped has no packet of its own (a frame a native decoder flags as corrupt).
     */
    protected final void discard(Packet packet, DiscardReason reason) {
        discards.count(reason);
        PacketStream s = stream;
        if (s != null) {
            s.reportDiscard(name, packet, reason);
        }
    }

    /**
     * Drops a packet this stage holds (it retained or copied it, or made it): counts it under
     * {@code reason}, reports it to the stream's discard listeners, then gives back the stage's
     * reference ({@link Packet#release()}; nothing for packets that are not reference counted).
     */
    protected final void discardHeld(Packet packet, DiscardReason reason) {
        try {
            discard(packet, reason);
        } finally {
            packet.release();
        }
    }

    /** Packets this stage discarded, all reasons together. */
    public final long discardedCount() {
        return discards.total();
    }

    /** Packets this stage discarded for {@code reason}. */
    public final long discardedCount(DiscardReason reason) {
        return discards.get(reason);
    }

    final Discards discards() {
        return discards;
    }

    /** The stream this adapter is attached to, or null. */
    protected final PacketStream stream() {
        return stream;
    }

    final void attachTo(PacketStream s) {
        PacketStream current = stream;
        if (current != null && current != s) {
            throw new IllegalStateException("adapter '" + name + "' is already attached to stream '"
                    + current.name() + "'; detach it there first");
        }
        stream = s;
    }

    final void detach() {
        output = NOT_CONNECTED;
        stream = null;
    }

    final void connect(PacketSink next) {
        output = next;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "('" + name + "', " + retention + ")";
    }
}
