package dev.packetstream.av;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_ABGR;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_ARGB;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGRA;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY8;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_NV12;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_NV21;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGBA;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_UYVY422;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUYV422;

/** Pixel layouts a {@link PixelFrame} can hold, with FFmpeg's id and plane count. */
public enum PixelFormat {
    I420(AV_PIX_FMT_YUV420P, 3),
    NV12(AV_PIX_FMT_NV12, 2),
    NV21(AV_PIX_FMT_NV21, 2),
    YUYV(AV_PIX_FMT_YUYV422, 1),
    UYVY(AV_PIX_FMT_UYVY422, 1),
    RGB24(AV_PIX_FMT_RGB24, 1),
    BGR24(AV_PIX_FMT_BGR24, 1),
    RGBA(AV_PIX_FMT_RGBA, 1),
    BGRA(AV_PIX_FMT_BGRA, 1),
    ARGB(AV_PIX_FMT_ARGB, 1),
    ABGR(AV_PIX_FMT_ABGR, 1),
    GRAY8(AV_PIX_FMT_GRAY8, 1);

    private final int ffmpegId;
    private final int planes;

    PixelFormat(int ffmpegId, int planes) {
        this.ffmpegId = ffmpegId;
        this.planes = planes;
    }

    /** FFmpeg's AV_PIX_FMT value. */
    public int ffmpegId() {
        return ffmpegId;
    }

    /** Number of planes. */
    public int planes() {
        return planes;
    }
}
