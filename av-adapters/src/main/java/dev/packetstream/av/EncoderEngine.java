package dev.packetstream.av;

import dev.packetstream.core.Packet;
import java.util.function.Consumer;

/**
 * An FFmpeg encoder as the encoder stages and the recorder drive it: frames in, packets out
 * through a callback, drained on stop, freed on close; counts both. Package-private.
 *
 * @param <F> the raw frames it encodes
 * @param <P> the encoded packets it hands out (borrowed: valid during the callback)
 */
abstract class EncoderEngine<F extends Packet, P extends Packet> implements AutoCloseable {
    /** Frames handed to the encoder; written by the engine under its lock. */
    volatile long framesIn;
    /** Packets handed out; written by the engine under its lock. */
    volatile long packetsOut;

    /** Encodes one frame, handing the packets ready to {@code out}. */
    abstract void encode(F frame, Consumer<P> out);

    /** Drains the encoder's last packets to {@code out} and closes it; the next frame opens it again. */
    abstract void flush(Consumer<P> out);

    /** Frees the encoder for good. Idempotent. */
    @Override
    public abstract void close();

    /** Frames handed to the encoder. */
    final long framesIn() {
        return framesIn;
    }

    /** Packets handed out. */
    final long packetsOut() {
        return packetsOut;
    }
}
