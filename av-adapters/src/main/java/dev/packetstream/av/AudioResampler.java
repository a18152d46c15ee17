package dev.packetstream.av;

import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_uninit;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc_set_opts2;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_get_delay;
import static org.bytedeco.ffmpeg.global.swresample.swr_get_out_samples;
import static org.bytedeco.ffmpeg.global.swresample.swr_init;
import static org.bytedeco.ffmpeg.global.swresample.swr_set_compensation;

import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Converts PCM of any format, rate and channel count to a fixed output format with swresample,
 * into one reusable native frame. Reconfigures itself when the input format changes. Can stretch
 * or squeeze its output by a number of samples spread over a distance ({@link #compensate}), for
 * drift correction. Not thread safe. Package-private.
 */
final class AudioResampler implements AutoCloseable {
    private final String stage;
    private final int outFormat;
    private final int outRate;
    private final int outChannels;
    private SwrContext swr;
    private int inFormat = -1;
    private int inRate;
    private int inChannels;
    private AVFrame out;
    private int outCapacity;
    private long samplesOut;
    private long compensationEnd = Long.MIN_VALUE;

    AudioResampler(String stage, int outFormat, int outRate, int outChannels) {
        this.stage = stage;
        this.outFormat = outFormat;
        this.outRate = outRate;
        this.outChannels = outChannels;
    }

    /**
     * Converts {@code samples} samples per channel (null input drains what swresample buffered).
     * The returned frame holds {@code nb_samples()} converted samples, valid until the next call.
     */
    AVFrame convert(PointerPointer<?> in, int samples, int format, int rate, int channels) {
        if (in != null && (swr == null || format != inFormat || rate != inRate || channels != inChannels)) {
            configure(format, rate, channels);
        }
        if (swr == null) {
            return null;
        }
        int max = swr_get_out_samples(swr, in == null ? 0 : samples) + 32;
        ensureCapacity(max);
        int got = swr_convert(swr, out.data(), max, in, in == null ? 0 : samples);
        if (got < 0) {
            throw new CodecException("stage '" + stage + "': resampling failed: " + Ffmpeg.error(got));
        }
        out.nb_samples(got);
        samplesOut += got;
        return out;
    }

    /**
     * Adds {@code delta} output samples (removes, when negative) spread over the next
     * {@code distance} output samples. The input format must be known (after a first convert).
     */
    void compensate(int delta, int distance) {
        if (swr == null) {
            throw new IllegalStateException("stage '" + stage + "': no audio converted yet, nothing to compensate");
        }
        int r = swr_set_compensation(swr, delta, distance); // switches swresample to resampling if it was not
        if (r < 0) {
            throw new CodecException("stage '" + stage + "': cannot stretch audio by " + delta + " samples over " + distance
                    + ": " + Ffmpeg.error(r));
        }
        compensationEnd = samplesOut + distance;
    }

    /** Whether a {@link #compensate} is still being applied. */
    boolean compensating() {
        return samplesOut < compensationEnd;
    }

    /** Samples (at the output rate) held inside the resampler, not yet output. */
    long delayedSamples() {
        return swr == null ? 0 : swr_get_delay(swr, outRate);
    }

    private void configure(int format, int rate, int channels) {
        freeSwr();
        AVChannelLayout inLayout = new AVChannelLayout();
        AVChannelLayout outLayout = new AVChannelLayout();
        try {
            av_channel_layout_default(inLayout, channels);
            av_channel_layout_default(outLayout, outChannels);
            SwrContext s = new SwrContext(null);
            int r = swr_alloc_set_opts2(s, outLayout, outFormat, outRate, inLayout, format, rate, 0, null);
            if (r < 0 || s.isNull()) {
                throw new CodecException("stage '" + stage + "': cannot set up resampling " + rate + " Hz/" + channels
                        + " ch to " + outRate + " Hz/" + outChannels + " ch: " + Ffmpeg.error(r));
            }
            r = swr_init(s);
            if (r < 0) {
                swr_free(s);
                throw new CodecException("stage '" + stage + "': cannot start resampling: " + Ffmpeg.error(r));
            }
            swr = s;
            compensationEnd = Long.MIN_VALUE;
            inFormat = format;
            inRate = rate;
            inChannels = channels;
        } finally {
            av_channel_layout_uninit(inLayout);
            av_channel_layout_uninit(outLayout);
            inLayout.close();
            outLayout.close();
        }
    }

    private void ensureCapacity(int samples) {
        if (out != null && outCapacity >= samples) {
            return;
        }
        freeFrame();
        int cap = Math.max(samples, 4096);
        AVFrame f = av_frame_alloc();
        f.format(outFormat);
        f.sample_rate(outRate);
        av_channel_layout_default(f.ch_layout(), outChannels);
        f.nb_samples(cap);
        int r = av_frame_get_buffer(f, 0);
        if (r < 0) {
            av_frame_free(f);
            throw new CodecException("stage '" + stage + "': cannot allocate audio buffer: " + Ffmpeg.error(r));
        }
        out = f;
        outCapacity = cap;
    }

    private void freeSwr() {
        if (swr != null) {
            swr_free(swr);
            swr = null;
        }
    }

    private void freeFrame() {
        if (out != null) {
            av_frame_free(out);
            out = null;
            outCapacity = 0;
        }
    }

    @Override
    public void close() {
        freeSwr();
        freeFrame();
    }
}
