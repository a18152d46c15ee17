package dev.packetstream.av;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;

import dev.packetstream.core.DiscardReason;
import dev.packetstream.core.Packet;
import dev.packetstream.core.Retention;
import dev.packetstream.core.media.EncodedVideoPacket;
import dev.packetstream.core.media.VideoCodec;
import java.nio.ByteBuffer;
import org.bytedeco.ffmpeg.avutil.AVFrame;
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
public final class VideoDecoder extends DecoderStage<EncodedVideoPacket> {
    private static final Logger log = LoggerFactory.getLogger(VideoDecoder.class);
    /** FFmpeg's AV_FRAME_FLAG_CORRUPT (not exported by the presets). */
    private static final int AV_FRAME_FLAG_CORRUPT = 1;

    private VideoCodec codec;
    private I420Scaler scaler;
    private boolean waitingForKeyframe = true;
    private long framesOut;

    public VideoDecoder(String name) {
        super(name, EncodedVideoPacket.class);
    }

    public VideoDecoder() {
        this("decode-video");
    }

    @Override
    boolean needsReopen(EncodedVideoPacket p) {
        return p.codec() != codec;
    }

    @Override
    CodecContext open(EncodedVideoPacket p) {
        CodecContext opened = openDecoder(Ffmpeg.decoderName(p.codec()), p.codec() + " video", p.extradata(),
                cx -> cx.thread_count(1));
        codec = p.codec();
        waitingForKeyframe = true;
        return opened;
    }

    @Override
    boolean readyFor(EncodedVideoPacket p) {
        if (waitingForKeyframe && !p.isKeyframe()) {
            discard(p, DiscardReason.WAITING_FOR_KEYFRAME);
            return false;
        }
        return true;
    }

    @Override
    ByteBuffer data(EncodedVideoPacket p) {
        return p.data();
    }

    @Override
    int send(CodecContext decoder, EncodedVideoPacket p, ByteBuffer data) {
        return decoder.sendPacket(data, p.ptsUs(), p.dtsUs(), p.isKeyframe());
    }

    @Override
    void refused(EncodedVideoPacket p, int error) {
        waitingForKeyframe = true;
        log.debug("stage '{}': decoder refused a {} packet ({}); skipped, waiting for a keyframe", name(), codec, Ffmpeg.error(error));
    }

    @Override
    void accepted(EncodedVideoPacket p) {
        waitingForKeyframe = false;
    }

    @Override
    void decodingFailed(Packet in, int error) {
        super.decodingFailed(in, error);
        waitingForKeyframe = true;
        log.debug("stage '{}': decoding failed ({}); waiting for a keyframe", name(), Ffmpeg.error(error));
    }

    @Override
    void emitFrame(AVFrame frame, Packet in) {
        if (frame.decode_error_flags() != 0 || (frame.flags() & AV_FRAME_FLAG_CORRUPT) != 0) {
            discard(in, DiscardReason.CORRUPT);
            return;
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
    }

    @Override
    void decoderFreed() {
        codec = null;
    }

    @Override
    void stageClosed() {
        if (scaler != null) {
            scaler.close();
            scaler = null;
        }
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
}
