package dev.packetstream.core;

/** A processor's emitter: counts what the processor emits and hands it to the next stage. */
final class StageOutput implements PacketSink {
    private final StageCounters counters;
    private final PacketSink next;

    StageOutput(StageCounters counters, PacketSink next) {
        this.counters = counters;
        this.next = next;
    }

    @Override
    public void accept(Packet packet) {
        counters.out++;
        next.accept(packet);
    }
}
