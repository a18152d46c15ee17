package dev.packetstream.av;

import dev.packetstream.core.DiscardReason;
import dev.packetstream.core.Packet;
import dev.packetstream.core.PacketProcessor;
import dev.packetstream.core.Retention;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;

import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * What the FFmpeg decoder stages share: a {@link CodecContext} opened on the first packet (and
 * again when the input's format changes), each packet's bytes sent and the frames ready received,
 * refused bytes and failed decodes discarded as {@link DiscardReason#CORRUPT}, the frames still
 * held drained on stream stop, everything freed on close. Subclasses say when and how to open,
 * and what a decoded frame becomes. Package-private.
 *
 * <h2>Threads</h2>
 * {@code process}, the stop and {@link #close()} hold the stage's lock: they never overlap.
 */
abstract class DecoderStage<P extends Packet> extends PacketProcessor implements AutoCloseable {
    private final Class<P> type;
    private CodecContext decoder;
    private boolean closed;

    DecoderStage(String name, Class<P> type) {
        super(name, Retention.BORROWED);
        this.type = type;
    }

    @Override
    public boolean accepts(Packet packet) {
        return type.isInstance(packet);
    }

    @Override
    public final synchronized void process(Packet packet) {
        if (closed) {
            throw new IllegalStateException("stage '" + name() + "' is closed; build a new decoder");
        }
        P p = type.cast(packet);
        if (decoder == null || needsReopen(p)) {
            freeDecoder();
            decoder = open(p);
        }
        if (!readyFor(p)) {
            return;
        }
        ByteBuffer data = data(p);
        if (data.remaining() == 0) {
            return;
        }
        int r = send(decoder, p, data);
        if (r < 0 && r != Ffmpeg.EAGAIN) {
            discard(packet, DiscardReason.CORRUPT);
            refused(p, r);
        } else {
            accepted(p);
        }
        int failed = decoder.receiveFrames(f -> emitFrame(f, packet));
        if (failed < 0) {
            decodingFailed(packet, failed);
        }
    }

    /** Whether {@code p} needs a new decoder (another codec or format); the open one is freed first. */
    abstract boolean needsReopen(P p);

    /** Opens a decoder for {@code p}'s codec and format. */
    abstract CodecContext open(P p);

    /**
     * Opens FFmpeg's decoder {@code decoderName} with microsecond packet timestamps, the codec
     * headers in {@code extradata} (or null), and what {@code configure} sets.
     *
     * @param what what it decodes, for messages ("video", "audio")
     * @throws CodecException when this FFmpeg build has no such decoder or it does not open
     */
    CodecContext openDecoder(String decoderName, String what, ByteBuffer extradata, Consumer<AVCodecContext> configure) {
        AVCodec dec = Ffmpeg.decoder(decoderName);
        if (dec == null) {
            throw new CodecException("stage '" + name() + "': this FFmpeg build has no " + what + " decoder '" + decoderName + "'");
        }
        return CodecContext.open(name(), dec, cx -> {
            cx.pkt_timebase(av_make_q(1, 1_000_000));
            configure.accept(cx);
            CodecContext.setExtradata(cx, extradata);
        }, null, r -> "stage '" + name() + "': cannot open " + what + " decoder " + decoderName + ": " + Ffmpeg.error(r));
    }

    /** Whether to decode {@code p} now; a subclass that says no discards it itself. */
    boolean readyFor(P p) {
        return true;
    }

    abstract ByteBuffer data(P p);

    /** Sends {@code data}, {@code p}'s bytes; returns FFmpeg's result. */
    abstract int send(CodecContext decoder, P p, ByteBuffer data);

    /** The decoder refused {@code p}'s bytes (already discarded as corrupt). */
    void refused(P p, int error) {
    }

    /** The decoder took {@code p}'s bytes. */
    void accepted(P p) {
    }

    /** Emits what {@code frame} decodes to; {@code in} is the packet just sent, null when draining. */
    abstract void emitFrame(AVFrame frame, Packet in);

    /** Decoding failed after {@code in} was sent (null when draining): discarded as corrupt. */
    void decodingFailed(Packet in, int error) {
        discard(in, DiscardReason.CORRUPT);
    }

    /** The decoder was freed (on stop, reopen or close): free what belongs to it. */
    void decoderFreed() {
    }

    /** The stage closed for good: free what belongs to the stage. */
    void stageClosed() {
    }

    /** Drains the frames the decoder still holds on stream stop, then frees it (the next packet opens a new one). */
    @Override
    protected synchronized void onStop() {
        if (decoder != null) {
            int failed = decoder.drainDecoder(f -> emitFrame(f, null));
            if (failed < 0) {
                decodingFailed(null, failed);
            }
        }
        freeDecoder();
    }

    @Override
    protected void onClose() {
        close();
    }

    private void freeDecoder() {
        if (decoder != null) {
            decoder.close();
            decoder = null;
        }
        decoderFreed();
    }

    /** Frees the native decoder. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        freeDecoder();
        stageClosed();
    }
}
