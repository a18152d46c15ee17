package dev.packetstream.av;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;

import dev.packetstream.core.media.RawAudioFrame;
import dev.packetstream.core.media.RawVideoFrame;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * Turns what {@link MediaCapture}'s grabber decoded into borrowed frames: pictures as I420 views at
 * the requested size (the grabber's own picture when it already is one, else one conversion into a
 * reused buffer, {@link #conversions() counted}), samples as s16le PCM in a reused buffer. Each
 * frame is valid until the next call. Owns the scaler; used by the capture thread only.
 */
final class CapturedFrames implements AutoCloseable {
    private final I420Scaler scaler;
    private final int width;
    private final int height;
    private ByteBuffer pcm;
    private long conversions;

    /** {@code width}/{@code height} 0: the picture's own size. */
    CapturedFrames(String stage, int width, int height) {
        this.scaler = new I420Scaler(stage);
        this.width = width;
        this.height = height;
    }

    RawVideoFrame video(AVFrame picture, long ts) {
        int w = picture.width();
        int h = picture.height();
        int outW = width > 0 ? width : w;
        int outH = height > 0 ? height : h;
        AVFrame i420 = picture;
        int fmt = picture.format();
        if ((fmt != AV_PIX_FMT_YUV420P && fmt != AV_PIX_FMT_YUVJ420P) || outW != w || outH != h) {
            i420 = scaler.scale(picture.data(), picture.linesize(), fmt, w, h, outW, outH);
            conversions++;
        }
        return I420Scaler.borrow(i420, outW, outH, ts);
    }

    RawAudioFrame audio(ShortBuffer samples, int sampleRate, int channels, long ts) {
        int n = samples.remaining();
        if (pcm == null || pcm.capacity() < n * 2) {
            pcm = ByteBuffer.allocateDirect(Math.max(n * 2, 16_384)).order(ByteOrder.LITTLE_ENDIAN);
        }
        pcm.clear();
        pcm.asShortBuffer().put(samples.duplicate());
        pcm.limit(n * 2);
        return RawAudioFrame.borrow(pcm, sampleRate, channels, n / channels, ts);
    }

    /** Pictures that had to be converted (a copy of the frame bytes). */
    long conversions() {
        return conversions;
    }

    @Override
    public void close() {
        scaler.close();
    }
}
