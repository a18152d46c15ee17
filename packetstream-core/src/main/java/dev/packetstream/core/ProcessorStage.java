package dev.packetstream.core;

/**
 * A processor's input: asks {@code accepts}, passes refused packets by, runs {@code process}, and
 * turns an exception into the stream's error naming this stage. In checked mode it lends
 * borrowed and reference-counted packets as views that expire when {@code process} returns.
 */
final class ProcessorStage implements PacketSink {
    private final PacketStream stream;
    private final PacketProcessor processor;
    private final StageCounters counters;
    private final PacketSink next;

    ProcessorStage(PacketStream stream, PacketProcessor processor, StageCounters counters, PacketSink next) {
        this.stream = stream;
        this.processor = processor;
        this.counters = counters;
        this.next = next;
    }

    @Override
    public void accept(Packet packet) {
        boolean accepted;
        try {
            accepted = processor.accepts(packet);
        } catch (Throwable t) {
            counters.errors++;
            stream.fail(processor.name(), t);
            return;
        }
        if (!accepted) {
            counters.passedBy++;
            next.accept(packet);
            return;
        }
        counters.in++;
        if (Ownership.CHECKED && packet.needsLease()) {
            processLent(packet);
            return;
        }
        try {
            processor.process(packet);
        } catch (Throwable t) {
            counters.errors++;
            stream.fail(processor.name(), t);
        }
    }

    private void processLent(Packet packet) {
        Packet view = packet.lend(stream.name(), processor.name(), processor.retention());
        try {
            processor.process(view);
        } catch (Throwable t) {
            counters.errors++;
            stream.fail(processor.name(), t);
        } finally {
            view.expire();
        }
    }
}
