package dev.packetstream.core;

/**
 * The end of the chain: delivers each packet to every sink in order, drops (and counts) packets
 * that arrive after the stream closed or failed, and notices FINAL packets.
 */
final class Emitter implements PacketSink {
    private final PacketStream stream;
    private final StreamTopology.SinkEntry[] sinks;
    private final StageCounters arrived;

    Emitter(PacketStream stream, StreamTopology.SinkEntry[] sinks) {
        this.stream = stream;
        this.sinks = sinks;
        this.arrived = stream.emitterCounters();
    }

    @Override
    public void accept(Packet packet) {
        arrived.in++;
        StreamState s = stream.state;
        if (s == StreamState.CLOSED || s == StreamState.ERROR) {
            stream.onLateAtEmitter(packet);
            return;
        }
        for (StreamTopology.SinkEntry sink : sinks) {
            sink.counters.in++;
            Packet p = Ownership.CHECKED && packet.needsLease()
                    ? packet.lend(stream.name(), sink.name, sink.retention) : packet;
            try {
                sink.sink.accept(p);
            } catch (Throwable t) {
                sink.counters.errors++;
                stream.fail(sink.name, t);
            } finally {
                if (p != packet) {
                    p.expire();
                }
            }
        }
        if (packet.isFinal()) {
            stream.onFinalDelivered();
        }
    }
}
