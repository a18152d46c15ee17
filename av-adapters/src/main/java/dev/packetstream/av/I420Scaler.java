package dev.packetstream.av;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import dev.packetstream.core.media.RawVideoFrame;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Converts any FFmpeg pixel format and size to I420 at a target size with swscale, into one
 * reusable native frame (the conversion is the copy). Not thread safe. Package-private.
 */
final class I420Scaler implements AutoCloseable {
    private final String stage;
    private SwsContext sws;
    private AVFrame out;
    long conversions;

    I420Scaler(String stage) {
        this.stage = stage;
    }

    /** Converts the picture; the returned frame is valid until the next call or close. */
    AVFrame scale(PointerPointer<?> srcData, IntPointer srcLinesize, int srcFormat, int srcW, int srcH, int dstW, int dstH) {
        sws = sws_getCachedContext(sws, srcW, srcH, srcFormat, dstW, dstH, AV_PIX_FMT_YUV420P, SWS_BILINEAR,
                null, null, (DoublePointer) null);
        if (sws == null || sws.isNull()) {
            throw new CodecException("stage '" + stage + "': swscale cannot convert pixel format " + srcFormat + " "
                    + srcW + "x" + srcH + " to I420 " + dstW + "x" + dstH);
        }
        if (out == null || out.width() != dstW || out.height() != dstH) {
            freeFrame();
            out = av_frame_alloc();
            out.format(AV_PIX_FMT_YUV420P);
            out.width(dstW);
            out.height(dstH);
            int r = av_frame_get_buffer(out, 0);
            if (r < 0) {
                freeFrame();
                throw new CodecException("stage '" + stage + "': cannot allocate an I420 frame " + dstW + "x" + dstH + ": " + Ffmpeg.error(r));
            }
        }
        av_frame_make_writable(out);
        sws_scale(sws, srcData, srcLinesize, 0, srcH, out.data(), out.linesize());
        conversions++;
        return out;
    }

    /** A borrowed frame over an I420 AVFrame's planes: zero copy, valid while the AVFrame is. */
    static RawVideoFrame borrow(AVFrame f, int w, int h, long timestampUs) {
        int ch = RawVideoFrame.chromaHeight(h);
        return RawVideoFrame.borrow(w, h,
                f.data(0).capacity((long) f.linesize(0) * h).asBuffer(), f.linesize(0),
                f.data(1).capacity((long) f.linesize(1) * ch).asBuffer(), f.linesize(1),
                f.data(2).capacity((long) f.linesize(2) * ch).asBuffer(), f.linesize(2), timestampUs);
    }

    private void freeFrame() {
        if (out != null) {
            av_frame_free(out);
            out = null;
        }
    }

    @Override
    public void close() {
        freeFrame();
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
    }
}
