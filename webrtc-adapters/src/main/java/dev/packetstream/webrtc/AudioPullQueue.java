package dev.packetstream.webrtc;

import dev.onvoid.webrtc.media.audio.AudioSource;
import dev.packetstream.core.media.RawAudioFrame;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The send side of a runtime's audio: a bounded, drift-tolerant queue of mono 48 kHz PCM that
 * {@link WebRtcTrackSender}s write into and the headless audio module's capture thread pulls from,
 * 10 ms at a time ({@link #onPlaybackData}). This is the one way custom audio can be sent on a
 * headless factory: pushing through webrtc-java's {@code CustomAudioSource} instead races with
 * the audio module and can abort the JVM.
 *
 * <h2>What it does with time</h2>
 * <ul>
 *   <li><b>Re-chunking</b>: writers may write any frame size; the module pulls exactly 10 ms.</li>
 *   <li><b>Format</b>: input of any channel count is mixed down to mono; input at another rate is
 *       resampled linearly to the rate the module asks for (48 kHz).</li>
 *   <li><b>Drift</b>: the module's capture clock runs about 0.27% slower than the wall clock, so a
 *       real-time writer gets ahead. Above {@link #HIGH_WATER_MS} of queued audio each pull skips
 *       {@link #SKIP_PER_PULL} samples (0.4% faster, inaudible) until it is back under.</li>
 *   <li><b>Bounded</b>: at most {@link #CAPACITY_MS}; when full, the oldest samples are dropped
 *       and counted (this happens while nothing pulls, e.g. before a send stream exists).</li>
 *   <li><b>Underrun</b>: a pull that finds too little fills the rest with silence, counts an
 *       underrun, and waits for {@link #PRIME_MS} to queue up again before playing.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * {@link #write} is called by senders on their stream's thread; {@link #onPlaybackData} by the
 * audio module's capture thread every 10 ms. Both take one short lock; neither blocks otherwise.
 */
final class AudioPullQueue implements AudioSource {
    static final int RATE = 48_000;
    static final int CAPACITY_MS = 500;
    static final int HIGH_WATER_MS = 80;
    static final int PRIME_MS = 20;
    static final int SKIP_PER_PULL = 2;

    private final short[] ring = new short[RATE * CAPACITY_MS / 1000];
    private int head;
    private int size;
    private boolean priming = true;
    /** Linear resampler state: the last input sample and the fractional read position. */
    private double resamplePos;
    private short lastSample;
    private int lastInputRate;

    private final AtomicLong droppedSamples = new AtomicLong();
    private final AtomicLong skippedSamples = new AtomicLong();
    private final AtomicLong underruns = new AtomicLong();
    private final AtomicLong pulls = new AtomicLong();

    /** Appends a frame (any rate, any channel count; mixed to mono 48 kHz). Never blocks. */
    void write(RawAudioFrame frame) {
        int channels = frame.channels();
        int samples = frame.samples();
        int rate = frame.sampleRate();
        java.nio.ByteBuffer data = frame.data();
        int base = data.position();
        synchronized (this) {
            if (rate != lastInputRate) {
                lastInputRate = rate;
                resamplePos = 0;
            }
            if (rate == RATE) {
                for (int i = 0; i < samples; i++) {
                    put(mono(data, base, i, channels));
                }
                return;
            }
            // linear interpolation between lastSample (index -1) and the frame's samples
            double step = (double) rate / RATE;
            double pos = resamplePos;
            while (pos <= samples - 1) {
                int i0 = (int) Math.floor(pos);
                double t = pos - i0;
                short a = i0 < 0 ? lastSample : mono(data, base, i0, channels);
                short b = mono(data, base, Math.min(i0 + 1, samples - 1), channels);
                put((short) Math.round(a + (b - a) * t));
                pos += step;
            }
            resamplePos = pos - samples;
            if (samples > 0) {
                lastSample = mono(data, base, samples - 1, channels);
            }
        }
    }

    private static short mono(java.nio.ByteBuffer data, int base, int index, int channels) {
        if (channels == 1) {
            return data.getShort(base + index * 2);
        }
        int sum = 0;
        for (int c = 0; c < channels; c++) {
            sum += data.getShort(base + (index * channels + c) * 2);
        }
        return (short) (sum / channels);
    }

    private void put(short s) {
        if (size == ring.length) {
            head = (head + 1) % ring.length;
            size--;
            droppedSamples.incrementAndGet();
        }
        ring[(head + size) % ring.length] = s;
        size++;
    }

    /**
     * Called by the audio module's capture thread: fills {@code nSamples} samples (frames x
     * channels) of 16-bit little-endian PCM. Always fills the whole buffer (silence when there is
     * nothing to play: the module would otherwise repeat the previous 10 ms) and returns
     * {@code nSamples}.
     */
    @Override
    public int onPlaybackData(byte[] audioSamples, int nSamples, int nBytesPerSample, int nChannels, int samplesPerSec) {
        pulls.incrementAndGet();
        int channels = Math.max(1, nChannels);
        int frames = nSamples / channels;
        int primeSamples = RATE * PRIME_MS / 1000;
        int highWater = RATE * HIGH_WATER_MS / 1000;
        synchronized (this) {
            if (priming && size >= primeSamples + frames) {
                priming = false;
            }
            int out = 0;
            if (!priming) {
                if (size > highWater) {
                    int skip = Math.min(SKIP_PER_PULL, size - frames);
                    head = (head + skip) % ring.length;
                    size -= skip;
                    skippedSamples.addAndGet(skip);
                }
                int n = Math.min(frames, size);
                for (; out < n; out++) {
                    short s = ring[head];
                    head = (head + 1) % ring.length;
                    writeFrame(audioSamples, out, channels, s);
                }
                size -= n;
                if (n < frames) {
                    underruns.incrementAndGet();
                    priming = true;
                }
            }
            for (; out < frames; out++) {
                writeFrame(audioSamples, out, channels, (short) 0);
            }
        }
        return nSamples;
    }

    private static void writeFrame(byte[] dst, int frame, int channels, short s) {
        int o = frame * channels * 2;
        for (int c = 0; c < channels; c++) {
            dst[o++] = (byte) s;
            dst[o++] = (byte) (s >> 8);
        }
    }

    /** Discards what is queued (a sender closed): the next sender starts from silence. */
    synchronized void clear() {
        head = 0;
        size = 0;
        priming = true;
        resamplePos = 0;
        lastSample = 0;
    }

    /** Milliseconds of audio waiting. */
    synchronized int queuedMillis() {
        return size * 1000 / RATE;
    }

    long droppedSamples() {
        return droppedSamples.get();
    }

    long skippedSamples() {
        return skippedSamples.get();
    }

    long underruns() {
        return underruns.get();
    }

    long pulls() {
        return pulls.get();
    }
}
