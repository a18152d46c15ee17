package dev.packetstream.av;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_CAP_SMALL_LAST_FRAME;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_CAP_VARIABLE_FRAME_SIZE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_free;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_read;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_size;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_write;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_samples_set_silence;

import dev.packetstream.core.media.EncodedAudioPacket;
import dev.packetstream.core.media.RawAudioFrame;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVAudioFifo;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * One FFmpeg audio encoder (Opus, AAC): resamples s16 input to the encoder's format, rate and
 * channels, re-chunks it to the encoder's frame size through a FIFO, and hands each encoded
 * packet, borrowed over the AVPacket's memory, to the output during the call. Timestamps count
 * samples from the first frame's timestamp, and each frame is placed on that count by
 * {@link AudioTimeline}'s rule: back-to-back, stretched or squeezed, after silence, or trimmed,
 * so that the audio follows the frames' timestamps ({@link #timing()}). Not thread safe.
 * Package-private.
 */
final class AudioEncoderEngine extends EncoderEngine<RawAudioFrame, EncodedAudioPacket> {
    private final String stage;
    private final AudioEncoderSettings settings;
    private CodecContext encoder;
    private AVCodec codec;
    private AudioResampler resampler;
    private AVAudioFifo fifo;
    private BytePointer in;
    private PointerPointer<BytePointer> inPtr;
    private int frameSize;
    private int sampleFormat;
    private byte[] extradata;
    private long nextPts = Long.MIN_VALUE;
    private boolean closed;

    private volatile long stretched;
    private volatile long squeezed;
    private volatile long silence;
    private volatile long trimmed;

    AudioEncoderEngine(String stage, AudioEncoderSettings settings) {
        this.stage = stage;
        this.settings = settings;
        if (Ffmpeg.encoder(settings.encoder()) == null) {
            throw new CodecException("stage '" + stage + "': audio encoder '" + settings.encoder() + "' for " + settings.codec()
                    + " is not in this FFmpeg build; choose another with AudioEncoderSettings.Builder.encoder(...)");
        }
    }

    @Override
    public synchronized void encode(RawAudioFrame f, Consumer<EncodedAudioPacket> out) {
        if (closed) {
            throw new IllegalStateException("stage '" + stage + "' is closed; build a new encoder");
        }
        if (encoder == null) {
            open();
        }
        framesIn++;
        int rate = settings.sampleRate();
        long pts = Math.round(f.timestampUs() * (double) rate / 1_000_000);
        int n = f.samples();
        int skip = 0;
        if (nextPts == Long.MIN_VALUE) {
            nextPts = pts;
        } else {
            long continuation = nextPts + av_audio_fifo_size(fifo) + resampler.delayedSamples();
            AudioTimeline.Decision d = AudioTimeline.raw(pts, continuation, rate);
            switch (d.action()) {
                case FILL -> writeSilence(d.samples());
                case TRIM -> {
                    long inSamples = d.samples() * f.sampleRate() / rate;
                    if (inSamples >= n) {
                        trimmed += (long) n * rate / f.sampleRate();
                        return; // wholly before what is written already
                    }
                    skip = (int) inSamples;
                    trimmed += d.samples();
                }
                case STRETCH -> {
                    if (!resampler.compensating()) {
                        resampler.compensate((int) d.samples(), AudioTimeline.stretchDistance(d.samples(), rate));
                        if (d.samples() > 0) {
                            stretched += d.samples();
                        } else {
                            squeezed -= d.samples();
                        }
                    }
                }
                default -> { }
            }
        }
        n -= skip;
        int bytes = n * f.channels() * 2;
        if (in == null || in.capacity() < bytes) {
            if (in != null) {
                in.close();
            }
            in = new BytePointer((long) Math.max(bytes, 16_384));
            inPtr = new PointerPointer<>(1);
        }
        ByteBuffer src = f.data().duplicate();
        src.position(src.position() + skip * f.channels() * 2);
        src.limit(src.position() + bytes);
        in.position(0).asBuffer().put(src);
        inPtr.put(0, in);
        AVFrame conv = resampler.convert(inPtr, n, AV_SAMPLE_FMT_S16, f.sampleRate(), f.channels());
        write(conv);
        while (av_audio_fifo_size(fifo) >= frameSize) {
            sendChunk(frameSize, out);
        }
    }

    private void write(AVFrame conv) {
        if (conv != null && conv.nb_samples() > 0) {
            int r = av_audio_fifo_write(fifo, conv.data(), conv.nb_samples());
            if (r < 0) {
                throw new CodecException("stage '" + stage + "': audio FIFO write failed: " + Ffmpeg.error(r));
            }
        }
    }

    /** Writes {@code samples} samples of silence into the FIFO (a gap in the input's timeline). */
    private void writeSilence(long samples) {
        AVFrame gap = av_frame_alloc();
        try {
            gap.format(sampleFormat);
            gap.sample_rate(settings.sampleRate());
            av_channel_layout_default(gap.ch_layout(), settings.channels());
            int chunk = (int) Math.min(samples, settings.sampleRate());
            gap.nb_samples(chunk);
            int r = av_frame_get_buffer(gap, 0);
            if (r < 0) {
                throw new CodecException("stage '" + stage + "': cannot allocate silence: " + Ffmpeg.error(r));
            }
            av_samples_set_silence(gap.data(), 0, chunk, settings.channels(), sampleFormat);
            for (long left = samples; left > 0; left -= chunk) {
                gap.nb_samples((int) Math.min(chunk, left));
                write(gap);
            }
            silence += samples;
        } finally {
            av_frame_free(gap);
        }
    }

    /** What the timeline rule did so far (gap and packet counts are the muxer's, zero here). */
    AudioTimingStats timing() {
        return new AudioTimingStats(stretched, squeezed, silence, 0, trimmed, 0);
    }

    private void sendChunk(int samples, Consumer<EncodedAudioPacket> out) {
        AVFrame frame = encoder.frame();
        int r = av_frame_make_writable(frame);
        if (r < 0) {
            throw new CodecException("stage '" + stage + "': cannot get a writable audio frame: " + Ffmpeg.error(r));
        }
        frame.nb_samples(frameSize);
        int got = av_audio_fifo_read(fifo, frame.data(), samples);
        boolean small = (codec.capabilities() & (AV_CODEC_CAP_SMALL_LAST_FRAME | AV_CODEC_CAP_VARIABLE_FRAME_SIZE)) != 0;
        if (got < frameSize) {
            if (small) {
                frame.nb_samples(got);
            } else {
                av_samples_set_silence(frame.data(), got, frameSize - got, settings.channels(), sampleFormat);
            }
        }
        frame.pts(nextPts);
        nextPts += frame.nb_samples();
        encoder.encode(frame, pkt -> emit(pkt, out));
    }

    /** Encodes what is left (padded if the encoder needs whole frames), drains the encoder and closes it. */
    @Override
    public synchronized void flush(Consumer<EncodedAudioPacket> out) {
        if (encoder == null) {
            return;
        }
        try {
            write(resampler.convert(null, 0, 0, 0, 0));
            while (av_audio_fifo_size(fifo) > 0) {
                sendChunk(Math.min(frameSize, av_audio_fifo_size(fifo)), out);
            }
            encoder.encode(null, pkt -> emit(pkt, out));
        } finally {
            release();
        }
    }

    /** One encoded packet, borrowed over the AVPacket's memory for the call. */
    private void emit(AVPacket pkt, Consumer<EncodedAudioPacket> out) {
        int rate = settings.sampleRate();
        long ptsUs = Math.floorDiv(pkt.pts() * 1_000_000L, rate);
        int samples = pkt.duration() > 0 ? (int) pkt.duration() : frameSize;
        ByteBuffer data = pkt.data().capacity(pkt.size()).asBuffer();
        packetsOut++;
        out.accept(EncodedAudioPacket.borrow(settings.codec(), data, ptsUs, rate, settings.channels(), samples,
                extradata == null ? null : ByteBuffer.wrap(extradata)));
    }

    private void open() {
        codec = Ffmpeg.encoder(settings.encoder());
        sampleFormat = settings.encoder().equals("libopus") ? AV_SAMPLE_FMT_S16 : AV_SAMPLE_FMT_FLTP;
        encoder = CodecContext.open(stage, codec, c -> {
            c.sample_fmt(sampleFormat);
            c.sample_rate(settings.sampleRate());
            av_channel_layout_default(c.ch_layout(), settings.channels());
            c.bit_rate(settings.bitrate());
            c.time_base(av_make_q(1, settings.sampleRate()));
            c.flags(c.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        }, null, r -> "stage '" + stage + "': cannot open audio encoder " + settings.encoder() + " (" + settings + "): "
                + Ffmpeg.error(r));
        AVCodecContext c = encoder.context();
        frameSize = c.frame_size() > 0 ? c.frame_size() : 1024;
        extradata = encoder.extradata();
        resampler = new AudioResampler(stage, sampleFormat, settings.sampleRate(), settings.channels());
        fifo = av_audio_fifo_alloc(sampleFormat, settings.channels(), frameSize * 4);
        try {
            encoder.allocateFrame(f -> {
                f.format(sampleFormat);
                f.sample_rate(settings.sampleRate());
                av_channel_layout_default(f.ch_layout(), settings.channels());
                f.nb_samples(frameSize);
            }, "an audio frame");
        } catch (RuntimeException e) {
            release();
            throw e;
        }
        nextPts = Long.MIN_VALUE;
    }

    /** The encoder's samples per frame (after it opened). */
    int frameSize() {
        return frameSize;
    }

    /** Frees everything for good. Idempotent; safe from any thread. */
    @Override
    public synchronized void close() {
        closed = true;
        release();
    }

    /** Frees the native encoder; the next frame opens a new one. */
    private void release() {
        if (encoder != null) {
            encoder.close();
            encoder = null;
        }
        if (resampler != null) {
            resampler.close();
            resampler = null;
        }
        if (fifo != null) {
            av_audio_fifo_free(fifo);
            fifo = null;
        }
        if (in != null) {
            in.close();
            in = null;
        }
        if (inPtr != null) {
            inPtr.close();
            inPtr = null;
        }
    }
}
