package dev.packetstream.av;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AV1;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_OPUS;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_PCM_S16LE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_VP8;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_VP9;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_mallocz;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import dev.packetstream.core.media.AudioCodec;
import dev.packetstream.core.media.EncodedAudioPacket;
import dev.packetstream.core.media.EncodedVideoPacket;
import dev.packetstream.core.media.VideoCodec;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;

/**
 * The recorder's FFmpeg muxer: owns the {@code AVFormatContext} of one output file at a time, its
 * streams and the packet it writes through. {@link #open()} opens the file, {@link #writeHeader}
 * adds the streams, {@link #write} hands packets to FFmpeg's interleaver, {@link #writeTrailer}
 * completes the file and {@link #close()} frees everything; it can be opened again afterwards.
 *
 * <h2>Errors</h2>
 * Failures are {@link RecordingException}s naming the recorder and the path. A failed header,
 * write or trailer marks the muxer {@linkplain #failed() failed} until the next {@link #open()}.
 *
 * <h2>Threads</h2>
 * Not thread-safe: the recorder calls it under its own lock.
 */
final class Muxer implements AutoCloseable {
    private static final AVRational MICROS = av_make_q(1, 1_000_000);

    private final String name;
    private final Path path;
    private final Container container;
    private AVFormatContext ctx;
    private AVPacket pkt;
    private AVStream videoStream;
    private AVStream audioStream;
    private boolean failed;

    Muxer(String name, Path path, Container container) {
        this.name = name;
        this.path = path;
        this.container = container;
    }

    /** True between {@link #open()} and {@link #close()}. */
    boolean isOpen() {
        return ctx != null;
    }

    /** True after a header, packet or trailer could not be written, until the next {@link #open()}. */
    boolean failed() {
        return failed;
    }

    boolean hasVideoStream() {
        return videoStream != null;
    }

    boolean hasAudioStream() {
        return audioStream != null;
    }

    /** Refuses a video track the container cannot carry (or MP4's H.264 without parameter sets). */
    void requireCarries(EncodedVideoPacket p) {
        if (!container.carries(p.codec())) {
            throw new RecordingException(path, "recorder '" + name + "': " + container + " cannot carry " + p.codec()
                    + " video; record to MKV or transcode");
        }
        if (container == Container.MP4 && p.codec() == VideoCodec.H264 && p.extradata() == null) {
            throw new RecordingException(path, "recorder '" + name + "': MP4 needs H.264 parameter sets as extradata;"
                    + " encode with ParameterSets.EXTRADATA, or record to MKV");
        }
    }

    /** Refuses an audio track the container cannot carry. */
    void requireCarries(EncodedAudioPacket p) {
        if (!container.carries(p.codec())) {
            throw new RecordingException(path, "recorder '" + name + "': " + container + " cannot carry " + p.codec()
                    + " audio; record to MKV or transcode");
        }
    }

    /** Opens the output file for writing. */
    void open() {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new RecordingException(path, "recorder '" + name + "': cannot write '" + path + "': directory '" + parent
                    + "' does not exist; create it or choose another path");
        }
        AVFormatContext c = new AVFormatContext(null);
        int r = avformat_alloc_output_context2(c, null, container.formatName(), path.toString());
        if (r < 0 || c.isNull()) {
            throw new RecordingException(path, "recorder '" + name + "': FFmpeg has no " + container + " muxer: " + Ffmpeg.error(r));
        }
        AVIOContext pb = new AVIOContext(null);
        r = avio_open(pb, path.toString(), AVIO_FLAG_WRITE);
        if (r < 0) {
            avformat_free_context(c);
            throw new RecordingException(path, "recorder '" + name + "': cannot open '" + path + "' for writing: "
                    + Ffmpeg.error(r) + "; choose a writable path");
        }
        c.pb(pb);
        ctx = c;
        pkt = av_packet_alloc();
        failed = false;
    }

    /** Adds a stream per non-null template (its codec, size or rate and extradata) and writes the header. */
    void writeHeader(EncodedVideoPacket videoTemplate, EncodedAudioPacket audioTemplate) {
        if (videoTemplate != null) {
            videoStream = avformat_new_stream(ctx, null);
            AVCodecParameters par = videoStream.codecpar();
            par.codec_type(AVMEDIA_TYPE_VIDEO);
            par.codec_id(videoCodecId(videoTemplate.codec()));
            par.width(videoTemplate.width());
            par.height(videoTemplate.height());
            setExtradata(par, videoTemplate.extradata());
            videoStream.time_base(av_make_q(1, 90_000));
        }
        if (audioTemplate != null) {
            audioStream = avformat_new_stream(ctx, null);
            AVCodecParameters par = audioStream.codecpar();
            par.codec_type(AVMEDIA_TYPE_AUDIO);
            par.codec_id(audioCodecId(audioTemplate.codec()));
            par.sample_rate(audioTemplate.sampleRate());
            av_channel_layout_default(par.ch_layout(), audioTemplate.channels());
            par.frame_size(audioTemplate.samples());
            setExtradata(par, audioTemplate.extradata());
            audioStream.time_base(av_make_q(1, audioTemplate.sampleRate()));
        }
        AVDictionary opts = new AVDictionary(null);
        try {
            av_dict_set(opts, "flush_packets", "1", 0);
            av_dict_set(opts, "max_interleave_delta", "1000000", 0);
            if (container == Container.MP4) {
                av_dict_set(opts, "movflags", "frag_keyframe+empty_moov+default_base_moof", 0);
                av_dict_set(opts, "frag_duration", "1000000", 0);
            } else {
                av_dict_set(opts, "cluster_time_limit", "1000", 0);
                av_dict_set(opts, "cluster_size_limit", "2097152", 0);
            }
            int r = avformat_write_header(ctx, opts);
            if (r < 0) {
                failed = true;
                throw writeError("write the header of", r);
            }
        } finally {
            av_dict_free(opts);
        }
    }

    private static void setExtradata(AVCodecParameters par, ByteBuffer extradata) {
        if (extradata == null || extradata.remaining() == 0) {
            return;
        }
        int n = extradata.remaining();
        BytePointer x = new BytePointer(av_mallocz(n + 64)).capacity(n + 64);
        x.asBuffer().put(extradata.duplicate());
        par.extradata(x);
        par.extradata_size(n);
    }

    /** Hands one packet (times in µs from the file's start) to the interleaver of the video or audio stream. */
    void write(boolean video, ByteBuffer data, long ptsUs, long dtsUs, long durationUs, boolean key) {
        AVStream st = video ? videoStream : audioStream;
        int size = data.remaining();
        int r = av_new_packet(pkt, size);
        if (r < 0) {
            throw new RecordingException(path, "recorder '" + name + "': cannot allocate a packet: " + Ffmpeg.error(r));
        }
        pkt.data().capacity(size).asBuffer().put(data.duplicate());
        AVRational tb = st.time_base();
        pkt.stream_index(st.index());
        pkt.pts(av_rescale_q(ptsUs, MICROS, tb));
        pkt.dts(av_rescale_q(dtsUs, MICROS, tb));
        pkt.duration(av_rescale_q(durationUs, MICROS, tb));
        if (key) {
            pkt.flags(pkt.flags() | AV_PKT_FLAG_KEY);
        }
        r = av_interleaved_write_frame(ctx, pkt);
        av_packet_unref(pkt);
        if (r < 0) {
            failed = true;
            throw writeError("write to", r);
        }
    }

    /** Writes what the interleaver holds and the trailer: the file is complete. */
    void writeTrailer() {
        int r = av_write_trailer(ctx);
        if (r < 0) {
            failed = true;
            throw writeError("write the trailer of", r);
        }
    }

    private RecordingException writeError(String what, int r) {
        if (r == Ffmpeg.ENOSPC) {
            return new RecordingException(path, "recorder '" + name + "': disk full: cannot " + what + " '" + path
                    + "'; free space or record elsewhere. What was written before stays readable.");
        }
        return new RecordingException(path, "recorder '" + name + "': cannot " + what + " '" + path + "': " + Ffmpeg.error(r)
                + ". What was written before stays readable.");
    }

    /** Closes the file (without a trailer unless {@link #writeTrailer} ran) and frees the context. Idempotent. */
    @Override
    public void close() {
        if (ctx != null) {
            AVIOContext pb = ctx.pb();
            if (pb != null && !pb.isNull()) {
                avio_closep(pb);
                ctx.pb(null);
            }
            avformat_free_context(ctx);
            ctx = null;
        }
        if (pkt != null) {
            av_packet_free(pkt);
            pkt = null;
        }
        videoStream = null;
        audioStream = null;
    }

    private static int videoCodecId(VideoCodec c) {
        return switch (c) {
            case H264 -> AV_CODEC_ID_H264;
            case VP8 -> AV_CODEC_ID_VP8;
            case VP9 -> AV_CODEC_ID_VP9;
            case AV1 -> AV_CODEC_ID_AV1;
        };
    }

    private static int audioCodecId(AudioCodec c) {
        return switch (c) {
            case OPUS -> AV_CODEC_ID_OPUS;
            case AAC -> AV_CODEC_ID_AAC;
            case PCM_S16LE -> AV_CODEC_ID_PCM_S16LE;
        };
    }
}
