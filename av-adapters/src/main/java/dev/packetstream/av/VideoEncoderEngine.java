package dev.packetstream.av;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_I;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;

import dev.packetstream.core.DiscardReason;
import dev.packetstream.core.Packet;
import dev.packetstream.core.media.EncodedVideoPacket;
import dev.packetstream.core.media.RawVideoFrame;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * One FFmpeg video encoder: opens on the first frame (its size fixes the encoder's), copies each
 * frame's planes into its own reference-counted AVFrame (the one copy on this path), and hands
 * each encoded packet, borrowed over the AVPacket's memory, to the output during the call.
 * Used by {@link VideoPacketEncoder} and {@link MultiplexPacketEncoder}. Not thread safe, except
 * {@link #requestKeyframe()}.
 */
final class VideoEncoderEngine extends EncoderEngine<RawVideoFrame, EncodedVideoPacket> {
    private static final int TIME_BASE_DEN = 1_000_000; // microseconds

    private final String stage;
    private final VideoEncoderSettings settings;
    private final AtomicBoolean keyframeRequested = new AtomicBoolean();
    private CodecContext encoder;
    private byte[] extradata;
    private int width;
    private int height;
    private long lastPts = Long.MIN_VALUE;
    private boolean closed;

    long framesCopied;
    /** The owning stage's discard: frames the engine drops go through it. */
    private final BiConsumer<Packet, DiscardReason> discard;

    VideoEncoderEngine(String stage, VideoEncoderSettings settings, BiConsumer<Packet, DiscardReason> discard) {
        this.stage = stage;
        this.settings = settings;
        this.discard = discard;
        if (Ffmpeg.encoder(settings.encoder()) == null) {
            throw new CodecException("stage '" + stage + "': encoder '" + settings.encoder() + "' for " + settings.codec()
                    + " is not in this FFmpeg build (" + buildHint() + "); choose another with VideoEncoderSettings.Builder.encoder(...)");
        }
    }

    private static String buildHint() {
        return Ffmpeg.encoder("libx264") != null ? "GPL build" : "LGPL build: H.264 is libopenh264; libx264 needs the Maven profile gpl";
    }

    void requestKeyframe() {
        keyframeRequested.set(true);
    }

    boolean isOpen() {
        return encoder != null;
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    @Override
    public synchronized void encode(RawVideoFrame f, Consumer<EncodedVideoPacket> out) {
        if (closed) {
            throw new IllegalStateException("stage '" + stage + "' is closed; build a new encoder");
        }
        if (encoder == null) {
            open(f.width(), f.height());
        } else if (f.width() != width || f.height() != height) {
            throw new IllegalArgumentException("stage '" + stage + "': frame size changed from " + width + "x" + height
                    + " to " + f.width() + "x" + f.height() + "; put a VideoConverter with a fixed size before the encoder");
        }
        framesIn++;
        long pts = f.timestampUs();
        if (pts <= lastPts) {
            discard.accept(f, DiscardReason.OUT_OF_ORDER); // encoders refuse timestamps that do not increase
            return;
        }
        lastPts = pts;
        AVFrame frame = encoder.frame();
        int r = av_frame_make_writable(frame);
        if (r < 0) {
            throw new CodecException("stage '" + stage + "': cannot get a writable frame: " + Ffmpeg.error(r));
        }
        int ch = RawVideoFrame.chromaHeight(height);
        f.copyTo(plane(frame, 0, height), frame.linesize(0), plane(frame, 1, ch), frame.linesize(1), plane(frame, 2, ch),
                frame.linesize(2));
        framesCopied++;
        frame.pts(pts);
        frame.pict_type(keyframeRequested.getAndSet(false) ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE);
        encoder.encode(frame, pkt -> emit(pkt, out));
    }

    private static ByteBuffer plane(AVFrame frame, int i, int rows) {
        return frame.data(i).capacity((long) frame.linesize(i) * rows).asBuffer();
    }

    /** Drains the encoder's last packets and closes it; the next frame opens it again. */
    @Override
    public synchronized void flush(Consumer<EncodedVideoPacket> out) {
        if (encoder == null) {
            return;
        }
        try {
            encoder.encode(null, pkt -> emit(pkt, out));
        } finally {
            release();
        }
    }

    /** One encoded packet, borrowed over the AVPacket's memory for the call. */
    private void emit(AVPacket pkt, Consumer<EncodedVideoPacket> out) {
        long pts = pkt.pts();
        long dts = pkt.dts() == AV_NOPTS_VALUE ? pts : pkt.dts();
        ByteBuffer data = pkt.data().capacity(pkt.size()).asBuffer();
        EncodedVideoPacket p = EncodedVideoPacket.borrow(settings.codec(), data, (pkt.flags() & AV_PKT_FLAG_KEY) != 0,
                pts, dts, width, height, extradata == null ? null : ByteBuffer.wrap(extradata));
        packetsOut++;
        out.accept(p);
    }

    private void open(int w, int h) {
        AVCodec codec = Ffmpeg.encoder(settings.encoder());
        AVDictionary opts = new AVDictionary(null);
        CodecContext opened;
        try {
            encoderOptions(opts);
            opened = CodecContext.open(stage, codec, c -> configure(c, w, h), opts,
                    r -> "stage '" + stage + "': cannot open encoder " + settings.encoder() + " for " + w + "x" + h + ": "
                            + Ffmpeg.error(r) + "; check the size (even numbers for H.264) and the settings " + settings);
        } finally {
            av_dict_free(opts);
        }
        try {
            opened.allocateFrame(f -> {
                f.format(AV_PIX_FMT_YUV420P);
                f.width(w);
                f.height(h);
            }, "a " + w + "x" + h + " frame");
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
        encoder = opened;
        extradata = opened.extradata();
        width = w;
        height = h;
        lastPts = Long.MIN_VALUE;
    }

    private void configure(AVCodecContext c, int w, int h) {
        c.width(w);
        c.height(h);
        c.pix_fmt(AV_PIX_FMT_YUV420P);
        c.time_base(av_make_q(1, TIME_BASE_DEN));
        c.framerate(av_make_q(settings.fps(), 1));
        c.bit_rate(settings.bitrate());
        c.gop_size(settings.keyframeInterval());
        c.max_b_frames(0);
        c.thread_count(settings.threads());
        if (settings.parameterSets() == ParameterSets.EXTRADATA) {
            c.flags(c.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        }
    }

    /** Each encoder's private options for low-latency live encoding. */
    private void encoderOptions(AVDictionary opts) {
        switch (settings.encoder()) {
            case "libx264" -> {
                av_dict_set(opts, "preset", "ultrafast", 0);
                av_dict_set(opts, "tune", "zerolatency", 0);
                av_dict_set(opts, "forced-idr", "1", 0);
            }
            case "libopenh264" -> av_dict_set(opts, "allow_skip_frames", "0", 0);
            case "libvpx" -> {
                av_dict_set(opts, "deadline", "realtime", 0);
                av_dict_set(opts, "cpu-used", "-8", 0); // negative: fast without throttling to the frame interval
                av_dict_set(opts, "lag-in-frames", "0", 0);
            }
            case "libvpx-vp9" -> {
                av_dict_set(opts, "deadline", "realtime", 0);
                av_dict_set(opts, "cpu-used", "8", 0);
                av_dict_set(opts, "row-mt", "1", 0);
                av_dict_set(opts, "lag-in-frames", "0", 0);
            }
            case "libsvtav1" -> av_dict_set(opts, "preset", "12", 0);
            default -> { }
        }
    }

    /** Frees the encoder for good (the stage is done). Idempotent; safe from any thread. */
    @Override
    public synchronized void close() {
        closed = true;
        release();
    }

    /** Frees the native encoder; the next frame opens a new one. */
    private void release() {
        if (encoder != null) {
            encoder.close();
            encoder = null;
        }
    }
}
