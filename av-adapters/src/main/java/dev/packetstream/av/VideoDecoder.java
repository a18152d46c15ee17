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
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;

import dev.packetstream.core.DiscardReason;
import dev.packetstream.core.Packet;
import dev.packetstream.core.PacketProcessor;
import dev.packetstream.core.Retention;
import dev.packetstream.core.media.EncodedVideoPacket;
import dev.packetstream.core.media.VideoCodec;
import java.nio.ByteBuffer;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes {@link EncodedVideoPacket}s (H.264, VP8, VP9) into I420
 * {@link dev.packetstream.core.media.RawVideoFrame}s with FFmpeg's own decoders; other packets
 * pass by.
 *
 * <h2>Order</h2>
 * Frames come out in presentation order with the packets' timestamps; on stream stop the decoder
 * drains the frames it still holds, then frees itself (a later start opens a new one).
 *
 * <h2>Checks</h2>
 * Decoding starts at a keyframe: packets before the first one are skipped and counted
 * ({@link #skippedWaitingForKeyframe()}). Corrupt input (bytes the decoder refuses, or frames it
 * flags as corrupt) is counted ({@link #corruptPackets()}) and skipped, never thrown: after
 * refused bytes the decoder waits for the next keyframe again. A change of codec reopens the
 * decoder.
 *
 * <h2>Ownership</h2>
 * {@link Retention#BORROWED}: packet bytes are copied into FFmpeg's padded packet during the
 * call. The frames it emits are <em>borrowed</em> views of FFmpeg's decoded picture (no copy),
 * valid only during the emit call: a stage that keeps one must {@code copy()} it.
 *
 * <h2>Threads</h2>
 * {@code process} must not run on two threads at once. {@link #close()} frees the decoder; call it
 * after the stream stopped.
 */
public final class VideoDecoder extends PacketProcessor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VideoDecoder.class);
    /** FFmpeg's AV_FRAME_FLAG_CORRUPT (not exported by the presets). */
    private static final int AV_FRAME_FLAG_CORRUPT = 1;

    private AVCodecContext ctx;
    private VideoCodec codec;
    private AVPacket pkt;
    private AVFrame frame;
    private I420Scaler scaler;
    private boolean waitingForKeyframe = true;
    private long framesOut;
    private boolean closed;

    public VideoDecoder(String name) {
        super(name, Retention.BORROWED);
    }

    public VideoDecoder() {
        this("decode-video");
    }

    @Override
    public boolean accepts(Packet packet) {
        return packet instanceof EncodedVideoPacket;
    }

    @Override
    public synchronized void process(Packet packet) {
        if (closed) {
            throw new IllegalStateException("stage '" + name() + "' is closed; build a new decoder");
        }
        EncodedVideoPacket p = (EncodedVideoPacket) packet;
        if (ctx == null || p.codec() != codec) {
            open(p.codec(), p.extradata());
        }
        if (waitingForKeyframe && !p.isKeyframe()) {
            discard(packet, DiscardReason.WAITING_FOR_KEYFRAME);
            return;
        }
        ByteBuffer data = p.data();
        int size = data.remaining();
        if (size == 0) {
            return;
        }
        int r = av_new_packet(pkt, size);
        if (r < 0) {
            throw new CodecException("stage '" + name() + "': cannot allocate a packet of " + size + " bytes: " + Ffmpeg.error(r));
        }
        pkt.data().capacity(size).asBuffer().put(data.duplicate());
        pkt.pts(p.ptsUs());
        pkt.dts(p.dtsUs());
        if (p.isKeyframe()) {
            pkt.flags(pkt.flags() | AV_PKT_FLAG_KEY);
        }
        r = avcodec_send_packet(ctx, pkt);
        av_packet_unref(pkt);
        if (r < 0 && r != Ffmpeg.EAGAIN) {
            discard(packet, DiscardReason.CORRUPT);
            waitingForKeyframe = true;
            log.debug("stage '{}': decoder refused a {} packet ({}); skipped, waiting for a keyframe", name(), codec, Ffmpeg.error(r));
            drain(packet);
            return;
        }
        waitingForKeyframe = false;
        drain(packet);
    }

    /** Emits the decoded frames; {@code in} is the packet just sent (null when flushing), named by a corrupt frame's discard. */
    private void drain(Packet in) {
        while (true) {
            int r = avcodec_receive_frame(ctx, frame);
            if (r == Ffmpeg.EAGAIN || r == AVERROR_EOF) {
                return;
            }
            if (r < 0) {
                discard(in, DiscardReason.CORRUPT);
                waitingForKeyframe = true;
                log.debug("stage '{}': decoding failed ({}); waiting for a keyframe", name(), Ffmpeg.error(r));
                return;
            }
            try {
                if (frame.decode_error_flags() != 0 || (frame.flags() & AV_FRAME_FLAG_CORRUPT) != 0) {
                    discard(in, DiscardReason.CORRUPT);
                    continue;
                }
                long ts = frame.best_effort_timestamp() != AV_NOPTS_VALUE ? frame.best_effort_timestamp() : frame.pts();
                int w = frame.width();
                int h = frame.height();
                AVFrame i420 = frame;
                if (frame.format() != AV_PIX_FMT_YUV420P && frame.format() != AV_PIX_FMT_YUVJ420P) {
                    if (scaler == null) {
                        scaler = new I420Scaler(name());
                    }
                    i420 = scaler.scale(frame.data(), frame.linesize(), frame.format(), w, h, w, h);
                }
                framesOut++;
                emit(I420Scaler.borrow(i420, w, h, ts));
            } finally {
                av_frame_unref(frame);
            }
        }
    }

    private void open(VideoCodec c, ByteBuffer extradata) {
        freeDecoder();
        String decoderName = Ffmpeg.decoderName(c);
        AVCodec dec = Ffmpeg.decoder(decoderName);
        if (dec == null) {
            throw new CodecException("stage '" + name() + "': this FFmpeg build has no decoder '" + decoderName + "' for " + c);
        }
        AVCodecContext cx = avcodec_alloc_context3(dec);
        cx.pkt_timebase(av_make_q(1, 1_000_000));
        cx.thread_count(1);
        if (extradata != null && extradata.remaining() > 0) {
            int n = extradata.remaining();
            BytePointer x = new BytePointer(av_malloc(n + 64)).capacity(n + 64);
            x.asBuffer().put(extradata.duplicate()).put(new byte[64]);
            cx.extradata(x);
            cx.extradata_size(n);
        }
        int r = avcodec_open2(cx, dec, (org.bytedeco.ffmpeg.avutil.AVDictionary) null);
        if (r < 0) {
            avcodec_free_context(cx);
            throw new CodecException("stage '" + name() + "': cannot open decoder " + decoderName + ": " + Ffmpeg.error(r));
        }
        ctx = cx;
        codec = c;
        pkt = av_packet_alloc();
        frame = av_frame_alloc();
        waitingForKeyframe = true;
    }

    /** Drains frames the decoder still holds on stream stop, then frees it. */
    @Override
    protected synchronized void onStop() {
        if (ctx != null) {
            avcodec_send_packet(ctx, null);
            drain(null);
        }
        freeDecoder();
    }

    @Override
    protected void onClose() {
        close();
    }

    /** Frames emitted. */
    public long framesOut() {
        return framesOut;
    }

    /** Packets (or frames) the decoder refused or flagged as corrupt; skipped. */
    public long corruptPackets() {
        return discardedCount(DiscardReason.CORRUPT);
    }

    /** Packets skipped because decoding had not reached a keyframe. */
    public long skippedWaitingForKeyframe() {
        return discardedCount(DiscardReason.WAITING_FOR_KEYFRAME);
    }

    private void freeDecoder() {
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
        codec = null;
    }

    /** Frees the native decoder. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        freeDecoder();
        if (scaler != null) {
            scaler.close();
            scaler = null;
        }
    }
}
