package dev.packetstream.core;

import java.util.List;

/**
 * A snapshot of a stream's figures.
 *
 * @param stream          the stream's name
 * @param state           its state when the snapshot was taken
 * @param written         packets accepted by {@link PacketStream#write(Packet)}
 * @param droppedInactive packets written while the stream was not active (none, paused, stopping, stopped, error)
 * @param lateAfterClose  packets that arrived after close (writes, or a queue's late output), dropped
 * @param emitted         packets the emitter delivered to its sinks
 * @param stages          sources, processors in order, then sinks
 */
public record StreamStats(String stream, StreamState state, long written, long droppedInactive,
                          long lateAfterClose, long emitted, List<StageStats> stages) {
    public StreamStats {
        stages = List.copyOf(stages);
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
}
