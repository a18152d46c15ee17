package dev.packetstream.av;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;

import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;

/**
 * One open FFmpeg encoder or decoder with its packet and frame: the allocation, the send/receive
 * loops and the freeing that every codec stage needs, written once. Package-private.
 *
 * <h2>Ownership</h2>
 * Owns the {@link AVCodecContext}, one {@link AVPacket} and one {@link AVFrame}; {@link #close()}
 * frees the three (idempotent). A failed {@link #open} frees what it allocated.
 *
 * <h2>Threads</h2>
 * Not thread safe: its stage calls it under its own lock.
 */
final class CodecContext implements AutoCloseable {
    /** Bytes of zero padding FFmpeg wants after extradata and packet data. */
    private static final int PADDING = 64;

    private final String stage;
    private final String codecName;
    private AVCodecContext ctx;
    private AVPacket pkt;
    private AVFrame frame;

    private CodecContext(String stage, String codecName, AVCodecContext ctx) {
        this.stage = stage;
        this.codecName = codecName;
        this.ctx = ctx;
        this.pkt = av_packet_alloc();
        this.frame = av_frame_alloc();
    }

    /**
     * Allocates a context for {@code codec}, lets {@code configure} set it up, and opens it.
     *
     * @param options    FFmpeg's private options, or null (the caller frees them)
     * @param openFailed the exception's message for FFmpeg's error code when the codec does not open
     * @throws CodecException when it does not open (nothing stays allocated)
     */
    static CodecContext open(String stage, AVCodec codec, Consumer<AVCodecContext> configure, AVDictionary options,
                             IntFunction<String> openFailed) {
        AVCodecContext c = avcodec_alloc_context3(codec);
        try {
            configure.accept(c);
            int r = avcodec_open2(c, codec, options);
            if (r < 0) {
                throw new CodecException(openFailed.apply(r));
            }
        } catch (RuntimeException e) {
            avcodec_free_context(c);
            throw e;
        }
        return new CodecContext(stage, codec.name().getString(), c);
    }

    /** Gives a decoder context a padded copy of {@code extradata} (codec headers), if there is any. */
    static void setExtradata(AVCodecContext c, ByteBuffer extradata) {
        if (extradata != null && extradata.remaining() > 0) {
            int n = extradata.remaining();
            BytePointer x = new BytePointer(av_malloc(n + PADDING)).capacity(n + PADDING);
            x.asBuffer().put(extradata.duplicate()).put(new byte[PADDING]);
            c.extradata(x);
            c.extradata_size(n);
        }
    }

    AVCodecContext context() {
        return ctx;
    }

    /** The reusable frame: a decoder's output, or an encoder's input once {@link #allocateFrame} shaped it. */
    AVFrame frame() {
        return frame;
    }

    /** A copy of the codec headers an encoder produced, or null. */
    byte[] extradata() {
        if (ctx.extradata() == null || ctx.extradata().isNull() || ctx.extradata_size() <= 0) {
            return null;
        }
        byte[] copy = new byte[ctx.extradata_size()];
        ctx.extradata().get(copy);
        return copy;
    }

    /**
     * Gives the frame its own buffers, after {@code shape} set its format and size (encoders).
     *
     * @throws CodecException when FFmpeg cannot allocate them ({@code what} names the frame)
     */
    void allocateFrame(Consumer<AVFrame> shape, String what) {
        shape.accept(frame);
        int r = av_frame_get_buffer(frame, 0);
        if (r < 0) {
            throw new CodecException("stage '" + stage + "': cannot allocate " + what + ": " + Ffmpeg.error(r));
        }
    }

    // ------------------------------------------------------------------ decoding

    /**
     * Copies {@code data} into the packet (padded) and sends it to the decoder.
     *
     * @return FFmpeg's result: negative when the decoder refused the bytes (EAGAIN included)
     * @throws CodecException when no packet of that size can be allocated
     */
    int sendPacket(ByteBuffer data, long pts, long dts, boolean keyframe) {
        int size = data.remaining();
        int r = av_new_packet(pkt, size);
        if (r < 0) {
            throw new CodecException("stage '" + stage + "': cannot allocate a packet of " + size + " bytes: " + Ffmpeg.error(r));
        }
        pkt.data().capacity(size).asBuffer().put(data.duplicate());
        pkt.pts(pts);
        pkt.dts(dts);
        if (keyframe) {
            pkt.flags(pkt.flags() | AV_PKT_FLAG_KEY);
        }
        r = avcodec_send_packet(ctx, pkt);
        av_packet_unref(pkt);
        return r;
    }

    /**
     * Hands every decoded frame ready now to {@code each} (the frame is unreferenced after it).
     *
     * @return 0 when the decoder has no more for now, or FFmpeg's error when decoding failed
     */
    int receiveFrames(Consumer<AVFrame> each) {
        while (true) {
            int r = avcodec_receive_frame(ctx, frame);
            if (r == Ffmpeg.EAGAIN || r == AVERROR_EOF) {
                return 0;
            }
            if (r < 0) {
                return r;
            }
            try {
                each.accept(frame);
            } finally {
                av_frame_unref(frame);
            }
        }
    }

    /** End of stream: the decoder hands out the frames it still holds. */
    int drainDecoder(Consumer<AVFrame> each) {
        avcodec_send_packet(ctx, null);
        return receiveFrames(each);
    }

    // ------------------------------------------------------------------ encoding

    /**
     * Sends {@code input} (null: end of stream, the encoder drains) and hands every packet ready to
     * {@code each}, borrowed: the packet is unreferenced after it.
     *
     * @throws CodecException when the encoder refuses the input or fails
     */
    void encode(AVFrame input, Consumer<AVPacket> each) {
        int r = avcodec_send_frame(ctx, input);
        if (r < 0 && r != AVERROR_EOF) {
            throw new CodecException("stage '" + stage + "': " + codecName + " refused " + (input == null ? "the end of stream" : "a frame")
                    + ": " + Ffmpeg.error(r));
        }
        while (true) {
            r = avcodec_receive_packet(ctx, pkt);
            if (r == Ffmpeg.EAGAIN || r == AVERROR_EOF) {
                return;
            }
            if (r < 0) {
                throw new CodecException("stage '" + stage + "': " + codecName + " failed: " + Ffmpeg.error(r));
            }
            try {
                each.accept(pkt);
            } finally {
                av_packet_unref(pkt);
            }
        }
    }

    /** Frees the context, the packet and the frame. Idempotent. */
    @Override
    public void close() {
        if (ctx != null) {
            avcodec_free_context(ctx);
            ctx = null;
        }
        if (pkt != null) {
            av_packet_free(pkt);
            pkt = null;
        }
        if (frame != null) {
            av_frame_free(frame);
            frame = null;
        }
    }
}
