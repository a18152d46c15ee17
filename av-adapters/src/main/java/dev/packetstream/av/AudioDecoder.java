package dev.packetstream.av;

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
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;

import dev.packetstream.core.DiscardReason;
import dev.packetstream.core.Packet;
import dev.packetstream.core.PacketProcessor;
import dev.packetstream.core.Retention;
import dev.packetstream.core.media.AudioCodec;
import dev.packetstream.core.media.EncodedAudioPacket;
import dev.packetstream.core.media.RawAudioFrame;
import java.nio.ByteBuffer;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes {@link EncodedAudioPacket}s (Opus, AAC, PCM) into s16le interleaved
 * {@link RawAudioFrame}s at the packets' rate and channel count; other packets pass by.
 *
 * <h2>Checks</h2>
 * Bytes the decoder refuses are counted ({@link #corruptPackets()}) and skipped, never thrown.
 *
 * <h2>Ownership</h2>
 * {@link Retention#BORROWED}. Emitted frames are <em>borrowed</em> views of the resampler's
 * buffer, valid during the emit call only.
 *
 * <h2>Threads</h2>
 * {@code process} must not run on two threads at once. {@link #close()} frees the decoder.
 */
public final class AudioDecoder extends PacketProcessor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AudioDecoder.class);

    private AVCodecContext ctx;
    private AudioCodec codec;
    private int rate;
    private int channels;
    private AVPacket pkt;
    private AVFrame frame;
    private AudioResampler resampler;
    private long framesOut;
    private boolean closed;

    public AudioDecoder(String name) {
        super(name, Retention.BORROWED);
    }

    public AudioDecoder() {
        this("decode-audio");
    }

    @Override
    public boolean accepts(Packet packet) {
        return packet instanceof EncodedAudioPacket;
    }

    @Override
    public synchronized void process(Packet packet) {
        if (closed) {
            throw new IllegalStateException("stage '" + name() + "' is closed; build a new decoder");
        }
        EncodedAudioPacket p = (EncodedAudioPacket) packet;
        if (ctx == null || p.codec() != codec || p.sampleRate() != rate || p.channels() != channels) {
            open(p);
        }
        ByteBuffer data = p.data();
        int size = data.remaining();
        if (size == 0) {
            return;
        }
        int r = av_new_packet(pkt, size);
        if (r < 0) {
            throw new CodecException("stage '" + name() + "': cannot allocate a packet: " + Ffmpeg.error(r));
        }
        pkt.data().capacity(size).asBuffer().put(data.duplicate());
        pkt.pts(p.ptsUs());
        pkt.dts(p.ptsUs());
        r = avcodec_send_packet(ctx, pkt);
        av_packet_unref(pkt);
        if (r < 0 && r != Ffmpeg.EAGAIN) {
            discard(packet, DiscardReason.CORRUPT);
            log.debug("stage '{}': decoder refused a {} packet: {}", name(), codec, Ffmpeg.error(r));
        }
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
                return;
            }
            try {
                long ts = frame.best_effort_timestamp() != AV_NOPTS_VALUE ? frame.best_effort_timestamp() : frame.pts();
                int ch = frame.ch_layout().nb_channels();
                AVFrame s16 = resampler.convert(frame.data(), frame.nb_samples(), frame.format(), frame.sample_rate(), ch);
                int n = s16.nb_samples();
                if (n > 0) {
                    ByteBuffer pcm = s16.data(0).capacity((long) n * channels * 2).asBuffer();
                    framesOut++;
                    emit(RawAudioFrame.borrow(pcm, rate, channels, n, ts));
                }
            } finally {
                av_frame_unref(frame);
            }
        }
    }

    private void open(EncodedAudioPacket p) {
        freeDecoder();
        String decoderName = switch (p.codec()) {
            case OPUS -> Ffmpeg.decoder("libopus") != null ? "libopus" : "opus";
            case AAC -> "aac";
            case PCM_S16LE -> "pcm_s16le";
        };
        AVCodec dec = Ffmpeg.decoder(decoderName);
        if (dec == null) {
            throw new CodecException("stage '" + name() + "': this FFmpeg build has no decoder '" + decoderName + "'");
        }
        AVCodecContext cx = avcodec_alloc_context3(dec);
        cx.pkt_timebase(av_make_q(1, 1_000_000));
        cx.sample_rate(p.sampleRate());
        av_channel_layout_default(cx.ch_layout(), p.channels());
        ByteBuffer extradata = p.extradata();
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
            throw new CodecException("stage '" + name() + "': cannot open audio decoder " + decoderName + ": " + Ffmpeg.error(r));
        }
        ctx = cx;
        codec = p.codec();
        rate = p.sampleRate();
        channels = p.channels();
        pkt = av_packet_alloc();
        frame = av_frame_alloc();
        resampler = new AudioResampler(name(), AV_SAMPLE_FMT_S16, rate, channels);
    }

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

    public long framesOut() {
        return framesOut;
    }

    /** Packets the decoder refused; skipped. */
    public long corruptPackets() {
        return discardedCount(DiscardReason.CORRUPT);
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
        if (resampler != null) {
            resampler.close();
            resampler = null;
        }
        codec = null;
    }

    /** Frees the native decoder. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        freeDecoder();
    }
}
