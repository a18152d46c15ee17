package dev.packetstream.webrtc;

import dev.packetstream.core.media.RawAudioFrame;
import dev.packetstream.core.media.RawVideoFrame;
import java.nio.ByteBuffer;

/** Synthetic media for tests and benchmarks: moving gradients, sine tones, and a tone meter. */
final class TestMedia {
    private TestMedia() {
    }

    /** A reusable I420 frame painter: each call paints frame {@code n} and lends it (borrowed). */
    static final class VideoPainter {
        final int width;
        final int height;
        private final ByteBuffer y;
        private final ByteBuffer u;
        private final ByteBuffer v;

        VideoPainter(int width, int height) {
            this.width = width;
            this.height = height;
            y = ByteBuffer.allocateDirect(width * height);
            int cw = RawVideoFrame.chromaWidth(width);
            int ch = RawVideoFrame.chromaHeight(height);
            u = ByteBuffer.allocateDirect(cw * ch);
            v = ByteBuffer.allocateDirect(cw * ch);
        }

        /** Paints a gradient that moves with {@code n}; {@code marker} (16 bits) as blocks in the top row. */
        RawVideoFrame frame(long n, int marker, long timestampUs) {
            int shift = (int) (n * 4);
            for (int row = 0; row < height; row++) {
                int base = row * width;
                for (int x = 0; x < width; x++) {
                    y.put(base + x, (byte) ((x + row + shift) & 0xff));
                }
            }
            if (marker >= 0) {
                paintMarker(marker);
            }
            int cw = RawVideoFrame.chromaWidth(width);
            int ch = RawVideoFrame.chromaHeight(height);
            for (int i = 0; i < cw * ch; i++) {
                u.put(i, (byte) (128 + ((i + shift) & 31)));
                v.put(i, (byte) (128 - ((i / cw + shift) & 31)));
            }
            return RawVideoFrame.borrow(width, height, y, width, u, cw, v, cw, timestampUs);
        }

        static final int BLOCK = 32;
        static final int BITS = 16;

        private void paintMarker(int marker) {
            for (int bit = 0; bit < BITS; bit++) {
                byte val = (byte) (((marker >> bit) & 1) == 1 ? 235 : 16);
                for (int row = 0; row < BLOCK; row++) {
                    for (int x = bit * BLOCK; x < (bit + 1) * BLOCK; x++) {
                        y.put(row * width + x, val);
                    }
                }
            }
        }

        /** Reads the marker painted by {@link #frame} from a (decoded) frame. */
        static int readMarker(RawVideoFrame f) {
            int marker = 0;
            ByteBuffer py = f.dataY();
            int stride = f.strideY();
            for (int bit = 0; bit < BITS; bit++) {
                int cx = bit * BLOCK + BLOCK / 2;
                int cy = BLOCK / 2;
                int sum = 0;
                for (int dy = -4; dy < 4; dy++) {
                    for (int dx = -4; dx < 4; dx++) {
                        sum += py.get((cy + dy) * stride + cx + dx) & 0xff;
                    }
                }
                if (sum / 64 > 128) {
                    marker |= 1 << bit;
                }
            }
            return marker;
        }
    }

    /** A continuous sine tone in 10 ms mono 48 kHz frames. */
    static final class Tone {
        private final double freq;
        private long sample;

        Tone(double freq) {
            this.freq = freq;
        }

        RawAudioFrame next10ms() {
            short[] pcm = new short[480];
            for (int i = 0; i < pcm.length; i++) {
                pcm[i] = (short) (Math.sin(2 * Math.PI * freq * (sample + i) / 48_000.0) * 12_000);
            }
            long ts = sample * 1_000_000L / 48_000;
            sample += pcm.length;
            return RawAudioFrame.copyOf(pcm, 48_000, 1, pcm.length, ts);
        }
    }

    /** The power of {@code freq} in {@code samples} (Goertzel). */
    static double goertzel(short[] samples, int n, int rate, double freq) {
        double w = 2 * Math.PI * freq / rate;
        double coeff = 2 * Math.cos(w);
        double s1 = 0;
        double s2 = 0;
        for (int i = 0; i < n; i++) {
            double s0 = samples[i] + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        return s1 * s1 + s2 * s2 - coeff * s1 * s2;
    }

    /** The strongest frequency between {@code lo} and {@code hi} Hz, in 0.5 Hz steps (Goertzel scan). */
    static double dominantFrequency(short[] samples, int n, int rate, double lo, double hi) {
        double best = lo;
        double bestPower = -1;
        for (double f = lo; f <= hi; f += 0.5) {
            double p = goertzel(samples, n, rate, f);
            if (p > bestPower) {
                bestPower = p;
                best = f;
            }
        }
        return best;
    }

    /** Collects the first channel of received audio into a bounded buffer (the last {@code capacity} samples). */
    static final class PcmRecorder {
        private final short[] ring;
        private long written;
        private int rate;

        PcmRecorder(int capacity) {
            ring = new short[capacity];
        }

        synchronized void add(RawAudioFrame f) {
            rate = f.sampleRate();
            int ch = f.channels();
            for (int i = 0; i < f.samples(); i++) {
                ring[(int) (written++ % ring.length)] = f.sample(i, 0);
            }
            if (ch < 1) {
                throw new AssertionError();
            }
        }

        /** The last {@code n} samples, oldest first. */
        synchronized short[] last(int n) {
            int k = (int) Math.min(n, Math.min(written, ring.length));
            short[] out = new short[k];
            for (int i = 0; i < k; i++) {
                out[i] = ring[(int) ((written - k + i) % ring.length)];
            }
            return out;
        }

        synchronized int rate() {
            return rate;
        }

        synchronized long written() {
            return written;
        }

        synchronized void reset() {
            written = 0;
        }

        /** Peak absolute value of the last {@code n} samples. */
        synchronized int peak(int n) {
            int p = 0;
            for (short s : last(n)) {
                p = Math.max(p, Math.abs(s));
            }
            return p;
        }
    }
}
