package dev.packetstream.av;

import static org.bytedeco.ffmpeg.global.avcodec.av_codec_is_encoder;
import static org.bytedeco.ffmpeg.global.avcodec.av_codec_iterate;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import dev.packetstream.core.media.VideoCodec;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/** FFmpeg helpers without state: error text, codec look-ups by name. Package-private. */
final class Ffmpeg {
    /** AVERROR(EAGAIN) on Linux. */
    static final int EAGAIN = -11;
    /** AVERROR(ENOSPC) on Linux. */
    static final int ENOSPC = -28;

    private Ffmpeg() {
    }

    /** FFmpeg's text for an error code, with the code. */
    static String error(int code) {
        byte[] buf = new byte[256];
        av_strerror(code, buf, buf.length);
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8) + " (error " + code + ")";
    }

    /** The encoder of this FFmpeg build with this name, or null. */
    static AVCodec encoder(String name) {
        AVCodec c = avcodec_find_encoder_by_name(name);
        return c == null || c.isNull() ? null : c;
    }

    /** The decoder of this FFmpeg build with this name, or null. */
    static AVCodec decoder(String name) {
        AVCodec c = avcodec_find_decoder_by_name(name);
        return c == null || c.isNull() ? null : c;
    }

    /** The names of every encoder in this FFmpeg build. */
    static List<String> encoderNames() {
        List<String> names = new ArrayList<>();
        try (PointerPointer<Pointer> it = new PointerPointer<>(1)) {
            Pointer.memset(it, 0, Pointer.sizeof(PointerPointer.class)); // PointerPointer(1) is not zeroed
            AVCodec c;
            while ((c = av_codec_iterate(it)) != null && !c.isNull()) {
                if (av_codec_is_encoder(c) != 0) {
                    names.add(c.name().getString());
                }
            }
        }
        return names;
    }

    /** The decoder FFmpeg itself implements for a codec (not a wrapped library). */
    static String decoderName(VideoCodec codec) {
        return switch (codec) {
            case H264 -> "h264";
            case VP8 -> "vp8";
            case VP9 -> "vp9";
            case AV1 -> decoder("libdav1d") != null ? "libdav1d" : "libaom-av1";
        };
    }
}
