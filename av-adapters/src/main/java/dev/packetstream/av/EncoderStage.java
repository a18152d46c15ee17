package dev.packetstream.av;

import dev.packetstream.core.Packet;
import dev.packetstream.core.PacketProcessor;
import dev.packetstream.core.Retention;

/**
 * What the encoder stages ({@link VideoPacketEncoder}, {@link AudioPacketEncoder}) share: frames of
 * one type go to an {@link EncoderEngine}, its packets are emitted downstream, the stop drains it,
 * the close frees it. Package-private.
 *
 * <h2>Ownership and threads</h2>
 * {@link Retention#BORROWED}: the engine copies each frame during the call; emitted packets are
 * borrowed over FFmpeg's memory. {@code process} must not run on two threads at once.
 */
abstract class EncoderStage<F extends Packet, P extends Packet> extends PacketProcessor implements AutoCloseable {
    private final Class<F> type;

    EncoderStage(String name, Class<F> type) {
        super(name, Retention.BORROWED);
        this.type = type;
    }

    /** The engine this stage drives (made by the subclass's constructor). */
    abstract EncoderEngine<F, P> engine();

    @Override
    public boolean accepts(Packet packet) {
        return type.isInstance(packet);
    }

    @Override
    public void process(Packet packet) {
        engine().encode(type.cast(packet), this::emit);
    }

    @Override
    protected void onStop() {
        engine().flush(this::emit);
    }

    @Override
    protected void onClose() {
        engine().close();
    }

    /** Frames handed to the encoder. */
    public long framesIn() {
        return engine().framesIn();
    }

    /** Packets emitted. */
    public long packetsOut() {
        return engine().packetsOut();
    }

    /** Frees the native encoder. Idempotent; call after the stream stopped or closed. */
    @Override
    public void close() {
        engine().close();
    }
}
