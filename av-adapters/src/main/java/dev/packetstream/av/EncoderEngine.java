package dev.packetstream.av;

import dev.packetstream.core.Packet;
import java.util.function.Consumer;

/**
 * An FFmpeg encoder as the encoder stages and the recorder drive it: frames in, packets out
 * through a callback, drained on stop, freed on close. Package-private.
 *
 * @param <F> the raw frames it encodes
 * @param <P> the encoded packets it hands out (borrowed: valid during the callback)
 */
interface EncoderEngine<F extends Packet, P extends Packet> extends AutoCloseable {
    /** Encodes one frame, handing the packets ready to {@code out}. */
    void encode(F frame, Consumer<P> out);

    /** Drains the encoder's last packets to {@code out} and closes it; the next frame opens it again. */
    void flush(Consumer<P> out);

    /** Frames handed to the encoder. */
    long framesIn();

    /** Packets handed out. */
    long packetsOut();

    /** Frees the encoder for good. Idempotent. */
    @Override
    void close();
}
