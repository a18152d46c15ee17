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

import dev.packetstream.core.DiscardReason;
import dev.packetstream.core.Packet;
import dev.packetstream.core.PacketProcessor;
import dev.packetstream.core.Retention;
import dev.packetstream.core.media.AudioCodec;
import dev.packetstream.core.media.EncodedAudioPacket;
import dev.packetstream.core.media.EncodedVideoPacket;
import dev.packetstream.core.media.FrameSize;
import dev.packetstream.core.media.RawAudioFrame;
import dev.packetstream.core.media.RawVideoFrame;
import dev.packetstream.core.media.VideoCodec;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recorder: writes a WebM (default), MKV or MP4 file. It takes raw frames
 * ({@link RawVideoFrame}, {@link RawAudioFrame}), which it encodes with the configured settings,
 * or encoded packets ({@link EncodedVideoPacket}, {@link EncodedAudioPacket}), which it muxes as
 * they are (no re-encoding). Other packets pass by; nothing is emitted.
 *
 * <pre>{@code
 * MultiplexPacketEncoder recorder = MultiplexPacketEncoder.builder(Path.of("out.webm")).build();  // VP8 + Opus
 * MultiplexPacketEncoder mp4 = MultiplexPacketEncoder.builder(Path.of("out.mp4"))
 *         .container(Container.MP4).build();                                                     // H.264 + AAC
 * stream.attach(recorder, 50);
 * }</pre>
 *
 * <h2>Order</h2>
 * The file starts at the first video keyframe: earlier video packets are dropped, and audio before
 * that instant too, so both tracks start together at zero. The header is written once the first
 * video keyframe and the first audio packet have arrived (packets wait, copied, until then; a track
 * that has not shown up within 3 s of media is left out). Audio and video are interleaved by
 * timestamp by FFmpeg's interleaver, holding at most 1 s. On stream stop the encoders drain, the
 * last packets are written and the trailer makes the file complete.
 *
 * <h2>Timestamps: one clock, audio on it</h2>
 * Both tracks' timestamps must come from one clock (a WebRTC receiver stamps both on this
 * process's monotonic clock; a file or capture source on its own media clock); the file's time
 * zero is the first video keyframe. Video is written at its timestamps. Audio in a file is a
 * continuous run of samples, so audio is placed by one rule whether it arrives raw or encoded:
 * back-to-back while its timestamps agree with the samples within 5 ms; raw audio that drifts
 * further is stretched or squeezed (up to 20 ms off, at most 2%), and beyond that gets silence
 * in a gap or loses the overlapping samples; an encoded packet more than 5 ms off is written at
 * its own timestamp (leaving a gap) or, overlapping, dropped. Every such correction is counted
 * ({@link #audioTiming()}), so lip sync follows the timestamps and no audio is lost unseen.
 *
 * <h2>Size</h2>
 * Raw video is recorded at {@link Builder#videoSize} or, by default, at the first frame's size:
 * later frames of another size (a WebRTC sender adapting its resolution) are scaled to it, at the
 * cost of one conversion each ({@link #scaledFrames()}).
 *
 * <h2>Crash safety</h2>
 * MKV and WebM are written in clusters of at most 1 s, MP4 as fragments (one per keyframe), and
 * every packet is flushed to the file: after a crash the file is readable up to the last one or
 * two seconds.
 *
 * <h2>Checks</h2>
 * An output that cannot be opened (missing directory, no permission) fails at stream start with a
 * {@link RecordingException} naming the path. A write error (disk full) fails the stage with a
 * {@link RecordingException}; what was written before stays readable. A codec the container cannot
 * carry is refused at build time (raw input) or at the first packet (encoded input).
 *
 * <h2>Ownership and threads</h2>
 * {@link Retention#CLONED}: packets waiting for the header are copies; everything else is copied
 * into FFmpeg's packets during the call. Calls are serialised internally, so audio and video may
 * arrive on different threads (e.g. a WebRTC receiver's video and audio threads); each track's
 * packets must arrive in timestamp order. {@link #close()} may be called from any thread.
 */
public final class MultiplexPacketEncoder extends PacketProcessor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MultiplexPacketEncoder.class);
    private static final AVRational MICROS = av_make_q(1, 1_000_000);
    private static final long MISSING_TRACK_WAIT_US = 3_000_000;

    private final Path path;
    private final Container container;
    private final VideoEncoderSettings videoSettings;
    private final AudioEncoderSettings audioSettings;
    private final boolean expectVideo;
    private final boolean expectAudio;

    private final VideoEncoderEngine videoEngine;
    private final AudioEncoderEngine audioEngine;
    private AVFormatContext ctx;
    private AVPacket pkt;
    private AVStream videoStream;
    private AVStream audioStream;
    private boolean headerWritten;
    private boolean failed;
    private boolean closed;
    private long startUs;
    private EncodedVideoPacket videoTemplate;
    private EncodedAudioPacket audioTemplate;
    private final List<Packet> pending = new ArrayList<>();
    private final int width;
    private final int height;
    private VideoConverter scaler;
    private volatile long scaledFrames;

    private volatile long videoPackets;
    private volatile long audioPackets;
    private volatile long lastWrittenUs = -1;
    /** Where the audio written so far ends, in samples at the track's rate; MIN_VALUE before the first. */
    private long audioNext = Long.MIN_VALUE;
    private volatile long audioGapSamples;
    private volatile long audioDroppedSamples;
    private volatile long audioDroppedPackets;

    private MultiplexPacketEncoder(Builder b) {
        super(b.name != null ? b.name : "record-" + b.container.extension(), Retention.CLONED);
        this.path = b.path;
        this.container = b.container;
        this.videoSettings = b.video.withParameterSets(ParameterSets.EXTRADATA);
        this.audioSettings = b.audio;
        this.expectVideo = b.withVideo;
        this.expectAudio = b.withAudio;
        this.width = b.width;
        this.height = b.height;
        if (expectVideo && !container.carries(videoSettings.codec())) {
            throw new IllegalArgumentException("recorder '" + name() + "': " + container + " cannot carry " + videoSettings.codec()
                    + " video; use " + container.defaultVideoCodec() + " or another container");
        }
        if (expectAudio && !container.carries(audioSettings.codec())) {
            throw new IllegalArgumentException("recorder '" + name() + "': " + container + " cannot carry " + audioSettings.codec()
                    + " audio; use " + container.defaultAudioCodec() + " or another container");
        }
        this.videoEngine = expectVideo ? new VideoEncoderEngine(name(), videoSettings, this::discard) : null;
        this.audioEngine = expectAudio ? new AudioEncoderEngine(name(), audioSettings) : null;
    }

    /** A recorder to {@code path}; the container follows the extension ({@code .mp4}, {@code .mkv}, else WebM). */
    public static Builder builder(Path path) {
        return new Builder(path);
    }

    @Override
    public boolean accepts(Packet packet) {
        return packet instanceof RawVideoFrame || packet instanceof RawAudioFrame
                || packet instanceof EncodedVideoPacket || packet instanceof EncodedAudioPacket;
    }

    @Override
    protected synchronized void onStart() {
        if (closed) {
            throw new IllegalStateException("recorder '" + name() + "' is closed; build a new one for '" + path + "'");
        }
        openOutput();
    }

    @Override
    public synchronized void process(Packet packet) {
        if (closed) {
            throw new IllegalStateException("recorder '" + name() + "' is closed; build a new one for '" + path + "'");
        }
        if (ctx == null) {
            openOutput(); // started again after a stop
        }
        if (packet instanceof RawVideoFrame f) {
            if (!expectVideo) {
                discard(packet, DiscardReason.UNSUPPORTED);
                return;
            }
            videoEngine.encode(toRecordingSize(f), this::muxVideo);
        } else if (packet instanceof RawAudioFrame f) {
            if (!expectAudio) {
                discard(packet, DiscardReason.UNSUPPORTED);
                return;
            }
            audioEngine.encode(f, this::muxAudio);
        } else if (packet instanceof EncodedVideoPacket p) {
            muxVideo(p);
        } else if (packet instanceof EncodedAudioPacket p) {
            muxAudio(p);
        }
    }

    /** Raw frames are scaled to the recording's size: the configured one, else the first frame's. */
    private RawVideoFrame toRecordingSize(RawVideoFrame f) {
        int w = width > 0 ? width : videoEngine.isOpen() ? videoEngine.width() : f.width();
        int h = height > 0 ? height : videoEngine.isOpen() ? videoEngine.height() : f.height();
        if (f.width() == w && f.height() == h) {
            return f;
        }
        if (scaler == null || scaler.width() != w || scaler.height() != h) {
            if (scaler != null) {
                scaler.close();
            }
            scaler = new VideoConverter(name() + "-scale", w, h);
        }
        scaledFrames++;
        return scaler.convert(f);
    }

    private void muxVideo(EncodedVideoPacket p) {
        if (!expectVideo) {
            discard(p, DiscardReason.UNSUPPORTED);
            return;
        }
        if (headerWritten) {
            write(p);
            return;
        }
        if (videoTemplate == null) {
            if (!p.isKeyframe()) {
                discard(p, DiscardReason.WAITING_FOR_KEYFRAME);
                return;
            }
            if (!container.carries(p.codec())) {
                throw new RecordingException(path, "recorder '" + name() + "': " + container + " cannot carry " + p.codec()
                        + " video; record to MKV or transcode");
            }
            if (container == Container.MP4 && p.codec() == VideoCodec.H264 && p.extradata() == null) {
                throw new RecordingException(path, "recorder '" + name() + "': MP4 needs H.264 parameter sets as extradata;"
                        + " encode with ParameterSets.EXTRADATA, or record to MKV");
            }
            videoTemplate = p.copy();
        }
        pending.add(p.copy());
        maybeWriteHeader(false);
    }

    private void muxAudio(EncodedAudioPacket p) {
        if (!expectAudio) {
            discard(p, DiscardReason.UNSUPPORTED);
            return;
        }
        if (headerWritten) {
            write(p);
            return;
        }
        if (audioTemplate == null) {
            if (!container.carries(p.codec())) {
                throw new RecordingException(path, "recorder '" + name() + "': " + container + " cannot carry " + p.codec()
                        + " audio; record to MKV or transcode");
            }
            audioTemplate = p.copy();
        }
        pending.add(p.copy());
        maybeWriteHeader(false);
    }

    private static long ts(Packet p) {
        return p instanceof EncodedVideoPacket v ? v.dtsUs() : ((EncodedAudioPacket) p).ptsUs();
    }

    private void maybeWriteHeader(boolean force) {
        boolean videoReady = !expectVideo || videoTemplate != null;
        boolean audioReady = !expectAudio || audioTemplate != null;
        if (!(videoReady && audioReady) && !force) {
            long span = pending.isEmpty() ? 0 : ts(pending.get(pending.size() - 1)) - ts(pending.get(0));
            if (span < MISSING_TRACK_WAIT_US) {
                return;
            }
            log.warn("recorder '{}': no {} within {} ms of media; writing '{}' without it", name(),
                    videoReady ? "audio" : "video", MISSING_TRACK_WAIT_US / 1000, path);
        }
        if (videoTemplate == null && audioTemplate == null) {
            return;
        }
        writeHeader();
        startUs = videoTemplate != null ? videoTemplate.ptsUs() : audioTemplate.ptsUs();
        List<Packet> waiting = new ArrayList<>(pending);
        pending.clear();
        waiting.sort(Comparator.comparingLong(MultiplexPacketEncoder::ts));
        for (Packet p : waiting) {
            if (p instanceof EncodedVideoPacket v) {
                write(v);
            } else {
                write((EncodedAudioPacket) p);
            }
        }
    }

    private void openOutput() {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new RecordingException(path, "recorder '" + name() + "': cannot write '" + path + "': directory '" + parent
                    + "' does not exist; create it or choose another path");
        }
        AVFormatContext c = new AVFormatContext(null);
        int r = avformat_alloc_output_context2(c, null, container.formatName(), path.toString());
        if (r < 0 || c.isNull()) {
            throw new RecordingException(path, "recorder '" + name() + "': FFmpeg has no " + container + " muxer: " + Ffmpeg.error(r));
        }
        AVIOContext pb = new AVIOContext(null);
        r = avio_open(pb, path.toString(), AVIO_FLAG_WRITE);
        if (r < 0) {
            avformat_free_context(c);
            throw new RecordingException(path, "recorder '" + name() + "': cannot open '" + path + "' for writing: "
                    + Ffmpeg.error(r) + "; choose a writable path");
        }
        c.pb(pb);
        ctx = c;
        pkt = av_packet_alloc();
        headerWritten = false;
        failed = false;
        videoTemplate = null;
        audioTemplate = null;
        pending.clear();
    }

    private void writeHeader() {
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
        headerWritten = true;
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

    private void write(EncodedVideoPacket p) {
        if (videoStream == null) {
            discard(p, DiscardReason.UNSUPPORTED); // the file was started without video
            return;
        }
        long pts = p.ptsUs() - startUs;
        long dts = p.dtsUs() - startUs;
        if (dts < 0) {
            discard(p, DiscardReason.BEFORE_START);
            return;
        }
        writePacket(p, videoStream, p.data(), pts, dts, 0, p.isKeyframe());
        videoPackets++;
        lastWrittenUs = Math.max(lastWrittenUs, pts);
    }

    private void write(EncodedAudioPacket p) {
        if (audioStream == null) {
            discard(p, DiscardReason.UNSUPPORTED); // the file was started without audio
            return;
        }
        int rate = p.sampleRate();
        long pts = Math.round((p.ptsUs() - startUs) * (double) rate / 1_000_000);
        if (pts < 0) {
            discard(p, DiscardReason.BEFORE_START);
            return;
        }
        if (audioNext != Long.MIN_VALUE) {
            AudioTimeline.Decision d = AudioTimeline.encoded(pts, audioNext, rate);
            switch (d.action()) {
                case CONTINUE -> pts = audioNext;
                case FILL -> audioGapSamples += d.samples();
                default -> {
                    audioDroppedPackets++;
                    audioDroppedSamples += p.samples();
                    discard(p, DiscardReason.OUT_OF_ORDER); // overlaps audio already written
                    return;
                }
            }
        }
        audioNext = pts + p.samples();
        long ptsUs = pts * 1_000_000 / rate;
        long duration = (long) p.samples() * 1_000_000 / rate;
        writePacket(p, audioStream, p.data(), ptsUs, ptsUs, duration, true);
        audioPackets++;
        lastWrittenUs = Math.max(lastWrittenUs, ptsUs);
    }

    private void writePacket(Packet p, AVStream st, ByteBuffer data, long ptsUs, long dtsUs, long durationUs, boolean key) {
        if (failed) {
            discard(p, DiscardReason.FAILED);
            return;
        }
        int size = data.remaining();
        int r = av_new_packet(pkt, size);
        if (r < 0) {
            throw new RecordingException(path, "recorder '" + name() + "': cannot allocate a packet: " + Ffmpeg.error(r));
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

    private RecordingException writeError(String what, int r) {
        if (r == Ffmpeg.ENOSPC) {
            return new RecordingException(path, "recorder '" + name() + "': disk full: cannot " + what + " '" + path
                    + "'; free space or record elsewhere. What was written before stays readable.");
        }
        return new RecordingException(path, "recorder '" + name() + "': cannot " + what + " '" + path + "': " + Ffmpeg.error(r)
                + ". What was written before stays readable.");
    }

    /** Drains the encoders, writes what waits and the trailer, and closes the file. */
    @Override
    protected synchronized void onStop() {
        try {
            if (videoEngine != null && !failed) {
                videoEngine.flush(this::muxVideo);
            }
            if (audioEngine != null && !failed) {
                audioEngine.flush(this::muxAudio);
            }
            if (ctx != null && !headerWritten && !failed && (videoTemplate != null || audioTemplate != null)) {
                maybeWriteHeader(true);
            }
            if (ctx != null && headerWritten && !failed) {
                int r = av_write_trailer(ctx);
                if (r < 0) {
                    failed = true;
                    throw writeError("write the trailer of", r);
                }
            } else if (ctx != null && !headerWritten) {
                log.warn("recorder '{}': no media reached it; '{}' is empty", name(), path);
            }
        } finally {
            closeOutput();
        }
    }

    private void closeOutput() {
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
        audioNext = Long.MIN_VALUE;
        for (Packet p : pending) {
            discardHeld(p, DiscardReason.CLOSED); // copies waiting for a header that was never written
        }
        pending.clear();
    }

    @Override
    protected void onClose() {
        close();
    }

    /** Video packets written. */
    public long videoPacketsWritten() {
        return videoPackets;
    }

    /** Audio packets written. */
    public long audioPacketsWritten() {
        return audioPackets;
    }

    /**
     * Packets dropped: before the first keyframe, before the common start, of a track left out, or
     * after a failed write ({@link #discardedCount(DiscardReason)} splits them by reason).
     */
    public long droppedPackets() {
        return discardedCount();
    }

    /**
     * What was done to keep the audio on the timeline: stretched, squeezed, silence inserted, gaps
     * left, samples and packets dropped (see the class comment). Zero while the audio arrives
     * back-to-back.
     */
    public AudioTimingStats audioTiming() {
        AudioTimingStats raw = audioEngine == null ? new AudioTimingStats(0, 0, 0, 0, 0, 0) : audioEngine.timing();
        return new AudioTimingStats(raw.stretched(), raw.squeezed(), raw.silenceInserted(), audioGapSamples,
                raw.droppedSamples() + audioDroppedSamples, audioDroppedPackets);
    }

    /** Raw frames scaled to the recording's size (a sender changed resolution, or {@link Builder#videoSize}). */
    public long scaledFrames() {
        return scaledFrames;
    }

    /** The media time (µs from the file's start) of the last packet handed to the muxer, or -1. */
    public long lastWrittenUs() {
        return lastWrittenUs;
    }

    public Path path() {
        return path;
    }

    public Container container() {
        return container;
    }

    /** Closes the file without a trailer if still open (call stop first for a complete file) and frees the encoders. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        closeOutput();
        if (videoEngine != null) {
            videoEngine.close();
        }
        if (audioEngine != null) {
            audioEngine.close();
        }
        if (scaler != null) {
            scaler.close();
        }
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

    /** Builds a {@link MultiplexPacketEncoder}. */
    public static final class Builder {
        private final Path path;
        private Container container;
        private VideoEncoderSettings video;
        private AudioEncoderSettings audio;
        private boolean withVideo = true;
        private boolean withAudio = true;
        private String name;
        private int width;
        private int height;

        private Builder(Path path) {
            this.path = Objects.requireNonNull(path, "path");
            String f = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            this.container = f.endsWith(".mp4") ? Container.MP4 : f.endsWith(".mkv") ? Container.MKV : Container.WEBM;
        }

        public Builder container(Container container) {
            this.container = Objects.requireNonNull(container, "container");
            return this;
        }

        /** How raw video is encoded; default the container's codec at 2 Mbit/s, 30 fps, a keyframe a second. */
        public Builder video(VideoEncoderSettings settings) {
            this.video = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** How raw audio is encoded; default the container's codec at 96 kbit/s, 48 kHz stereo. */
        public Builder audio(AudioEncoderSettings settings) {
            this.audio = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * The size raw video is recorded at (even); frames of another size are scaled to it. Default:
         * the first frame's size, so a source that changes resolution midway is scaled back to it.
         */
        public Builder videoSize(int width, int height) {
            FrameSize size = FrameSize.of("video size", width, height);
            this.width = size.width();
            this.height = size.height();
            return this;
        }

        /** Records no audio track (audio packets are dropped). */
        public Builder withoutAudio() {
            this.withAudio = false;
            return this;
        }

        /** Records no video track. */
        public Builder withoutVideo() {
            this.withVideo = false;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** @throws IllegalArgumentException when the container cannot carry the codecs */
        public MultiplexPacketEncoder build() {
            if (!withVideo && !withAudio) {
                throw new IllegalArgumentException("a recording needs audio or video");
            }
            if (video == null) {
                video = VideoEncoderSettings.builder(container.defaultVideoCodec()).build();
            }
            if (audio == null) {
                audio = AudioEncoderSettings.builder(container.defaultAudioCodec()).build();
            }
            return new MultiplexPacketEncoder(this);
        }
    }
}
