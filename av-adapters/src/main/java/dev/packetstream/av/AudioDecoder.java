package dev.packetstream.av;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;

import dev.packetstream.core.DiscardReason;
import dev.packetstream.core.Packet;
import dev.packetstream.core.Retention;
import dev.packetstream.core.media.AudioCodec;
import dev.packetstream.core.media.EncodedAudioPacket;
import dev.packetstream.core.media.RawAudioFrame;
import java.nio.ByteBuffer;
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
public final class AudioDecoder extends DecoderStage<EncodedAudioPacket> {
    private static final Logger log = LoggerFactory.getLogger(AudioDecoder.class);

    private AudioCodec codec;
    private int rate;
    private int channels;
    private AudioResampler resampler;
    private long framesOut;

    public AudioDecoder(String name) {
        super(name, EncodedAudioPacket.class);
    }

    public AudioDecoder() {
        this("decode-audio");
    }

    @Override
    boolean needsReopen(EncodedAudioPacket p) {
        return p.codec() != codec || p.sampleRate() != rate || p.channels() != channels;
    }

    @Override
    CodecContext open(EncodedAudioPacket p) {
        String decoderName = switch (p.codec()) {
            case OPUS -> Ffmpeg.decoder("libopus") != null ? "libopus" : "opus";
            case AAC -> "aac";
            case PCM_S16LE -> "pcm_s16le";
        };
        CodecContext opened = openDecoder(decoderName, p.codec() + " audio", p.extradata(), cx -> {
            cx.sample_rate(p.sampleRate());
            av_channel_layout_default(cx.ch_layout(), p.channels());
        });
        codec = p.codec();
        rate = p.sampleRate();
        channels = p.channels();
        resampler = new AudioResampler(name(), AV_SAMPLE_FMT_S16, rate, channels);
        return opened;
    }

    @Override
    ByteBuffer data(EncodedAudioPacket p) {
        return p.data();
    }

    @Override
    int send(CodecContext decoder, EncodedAudioPacket p, ByteBuffer data) {
        return decoder.sendPacket(data, p.ptsUs(), p.ptsUs(), false);
    }

    @Override
    void refused(EncodedAudioPacket p, int error) {
        log.debug("stage '{}': decoder refused a {} packet: {}", name(), codec, Ffmpeg.error(error));
    }

    @Override
    void emitFrame(AVFrame frame, Packet in) {
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

    @Override
    void decoderFreed() {
        if (resampler != null) {
            resampler.close();
            resampler = null;
        }
        codec = null;
    }

    public long framesOut() {
        return framesOut;
    }

    /** Packets the decoder refused; skipped. */
    public long corruptPackets() {
        return discardedCount(DiscardReason.CORRUPT);
    }
}
