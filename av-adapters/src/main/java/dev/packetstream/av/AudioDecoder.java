package dev.packetstream.av;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;

import dev.packetstream.core.DiscardReason;
import dev.packetstream.core.Packet;
import dev.packetstream.core.PacketProcessor;
import dev.packetstream.core.Retention;
import dev.packetstream.core.media.AudioCodec;
import dev.packetstream.core.media.EncodedAudioPacket;
import dev.packetstream.core.media.RawAudioFrame;
import java.nio.ByteBuffer;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avutil.AVFrame;
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

    private CodecContext decoder;
    private AudioCodec codec;
    private int rate;
    private int channels;
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
        if (decoder == null || p.codec() != codec || p.sampleRate() != rate || p.channels() != channels) {
            open(p);
        }
        ByteBuffer data = p.data();
        int size = data.remaining();
        if (size == 0) {
            return;
        }
        int r = decoder.sendPacket(data, p.ptsUs(), p.ptsUs(), false);
        if (r < 0 && r != Ffmpeg.EAGAIN) {
            discard(packet, DiscardReason.CORRUPT);
            log.debug("stage '{}': decoder refused a {} packet: {}", name(), codec, Ffmpeg.error(r));
        }
        if (decoder.receiveFrames(this::emitFrame) < 0) {
            discard(packet, DiscardReason.CORRUPT);
        }
    }

    private void emitFrame(AVFrame frame) {
        long ts = frame.best_effort_timestamp() != AV_NOPTS_VALUE ? frame.best_effort_timestamp() : frame.pts();
        int ch = frame.ch_layout().nb_channels();
        AVFrame s16 = resampler.convert(frame.data(), frame.nb_samples(), frame.format(), frame.sample_rate(), ch);
        int n = s16.nb_samples();
        if (n > 0) {
            ByteBuffer pcm = s16.data(0).capacity((long) n * channels * 2).asBuffer();
            framesOut++;
            emit(RawAudioFrame.borrow(pcm, rate, channels, n, ts));
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
        decoder = CodecContext.open(name(), dec, cx -> {
            cx.pkt_timebase(av_make_q(1, 1_000_000));
            cx.sample_rate(p.sampleRate());
            av_channel_layout_default(cx.ch_layout(), p.channels());
            CodecContext.setExtradata(cx, p.extradata());
        }, null, r -> "stage '" + name() + "': cannot open audio decoder " + decoderName + ": " + Ffmpeg.error(r));
        codec = p.codec();
        rate = p.sampleRate();
        channels = p.channels();
        resampler = new AudioResampler(name(), AV_SAMPLE_FMT_S16, rate, channels);
    }

    @Override
    protected synchronized void onStop() {
        if (decoder != null && decoder.drainDecoder(this::emitFrame) < 0) {
            discard(null, DiscardReason.CORRUPT); // flushing: no packet to name
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
        if (decoder != null) {
            decoder.close();
            decoder = null;
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
