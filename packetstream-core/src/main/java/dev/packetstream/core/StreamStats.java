package dev.packetstream.core;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of a stream's figures.
 *
 * @param stream          the stream's name
 * @param state           its state when the snapshot was taken
 * @param written         packets accepted by {@link PacketStream#write(Packet)}
 * @param droppedInactive packets written while the stream was not active (none, paused, stopping, stopped, error)
 * @param lateAfterClose  packets that arrived after close (writes, or a queue's late output), dropped
 * @param emitted         packets the emitter delivered to its sinks
 * @param stages          sources, processors in order (each branch group followed by its branches), then sinks
 * @param discarded       the stream's own discards by reason ({@link DiscardReason#INACTIVE}: the
 *                        written-while-inactive ones, {@link DiscardReason#CLOSED}: the late ones)
 */
public record StreamStats(String stream, StreamState state, long written, long droppedInactive,
                          long lateAfterClose, long emitted, List<StageStats> stages,
                          Map<DiscardReason, Long> discarded) {
    public StreamStats {
        stages = List.copyOf(stages);
        discarded = Map.copyOf(discarded);
    }

    /** The stats of the stage with this name, or null. */
    public StageStats stage(String name) {
        for (StageStats s : stages) {
            if (s.stage().equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** Packets discarded for {@code reason} anywhere in the stream: by the stream itself and by every stage. */
    public long discardedTotal(DiscardReason reason) {
        long n = discarded.getOrDefault(reason, 0L);
        for (StageStats s : stages) {
            n += s.discarded(reason);
        }
        return n;
    }

    /** The topology with each stage's figures, one line a stage ({@link PacketStream#describe()}). */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append("PacketStream '").append(stream).append("' ").append(state)
                .append(": written=").append(written)
                .append(" emitted=").append(emitted)
                .append(" droppedInactive=").append(droppedInactive)
                .append(" lateAfterClose=").append(lateAfterClose).append('\n');
        for (StageStats s : stages) {
            StageKind k = s.kind();
            String where = k == StageKind.PROCESSOR ? "order " + s.order() : k == StageKind.BRANCH ? "  └" : "";
            b.append(String.format("  %-9s %-11s %-24s", k.label(), where, "'" + s.stage() + "'"));
            if (s.retention() != null) {
                b.append(' ').append(s.retention());
            }
            if (k != StageKind.SOURCE) {
                b.append(" in=").append(s.in());
            }
            if (k != StageKind.SINK) {
                b.append(" out=").append(s.out());
            }
            if (s.passedBy() > 0) {
                b.append(" passedBy=").append(s.passedBy());
            }
            if (s.dropped() > 0 || s.queueDepth() > 0) {
                b.append(" dropped=").append(s.dropped()).append(" depth=").append(s.queueDepth());
            }
            if (s.errors() > 0) {
                b.append(" errors=").append(s.errors());
            }
            appendReasons(b, s.discarded());
            b.append('\n');
        }
        return b.toString();
    }

    private static void appendReasons(StringBuilder b, Map<DiscardReason, Long> reasons) {
        if (reasons.isEmpty()) {
            return;
        }
        b.append(" [discarded:");
        for (DiscardReason r : DiscardReason.values()) {
            Long n = reasons.get(r);
            if (n != null) {
                b.append(' ').append(r.label()).append('=').append(n);
            }
        }
        b.append(']');
    }
}
