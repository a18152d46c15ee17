package dev.packetstream.core;

/**
 * A processor's input: asks {@code accepts}, passes refused packets by, runs {@code process}, and
 * turns an exception into the stream's error naming this stage. In checked mode it lends
 * borrowed and reference-counted packets as views that expire when {@code process} returns.
 *
 * <p>One per attached processor for the life of the attachment, so its counters survive restarts.
 * Counters ({@code in}, {@code passedBy}, padded against false sharing) are plain fields of this
 * object: exact with one thread per stage, and may undercount when several threads write through
 * the same stage at once.
 */
final class ProcessorStage extends CounterPadding.PadRight implements PacketSink {
    private final PacketStream stream;
    private final PacketProcessor processor;
    /** Set by {@link PacketStream#start()} before it publishes ACTIVE. */
    private PacketSink next;
    volatile long errors;

    ProcessorStage(PacketStream stream, PacketProcessor processor) {
        this.stream = stream;
        this.processor = processor;
    }

    void wire(PacketSink nextStage) {
        this.next = nextStage;
        processor.connect(nextStage);
    }

    @Override
    public void accept(Packet packet) {
        boolean accepted;
        try {
            accepted = processor.accepts(packet);
        } catch (Throwable t) {
            failed(t);
            return;
        }
        if (!accepted) {
            passedBy++;
            next.accept(packet);
            return;
        }
        in++;
        if (Ownership.CHECKED && packet.needsLease()) {
            processLent(packet);
            return;
        }
        try {
            processor.process(packet);
        } catch (Throwable t) {
            failed(t);
        }
    }

    private void processLent(Packet packet) {
        Packet view = packet.lend(stream.name(), processor.name(), processor.retention());
        try {
            processor.process(view);
        } catch (Throwable t) {
            failed(t);
        } finally {
            view.expire();
        }
    }

    void failed(Throwable t) {
        errors++;
        stream.fail(processor.name(), t);
    }
}
