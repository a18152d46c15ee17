package dev.packetstream.core.media;

/**
 * Timestamps for a stream of audio chunks that arrive on a clock (a playout thread's pulls, a
 * network receiver's packets): each chunk's timestamp follows the samples actually received —
 * the previous timestamp plus the previous chunk's duration — and is slewed gently toward the
 * reference clock, so that the audio neither drifts from that clock nor jitters with the
 * arrival times.
 *
 * <pre>{@code
 * SampleClock clock = new SampleClock();
 * // each 10 ms chunk, on the thread that receives it:
 * long ts = clock.stamp(frames, sampleRate, System.nanoTime() / 1000);
 * }</pre>
 *
 * <h2>The rule</h2>
 * <ul>
 *   <li>The first chunk is stamped with its arrival time.</li>
 *   <li>Every later chunk continues the previous one: its timestamp is the previous timestamp
 *       plus the previous chunk's duration (samples / rate), plus a slew.</li>
 *   <li>The error is arrival time minus that continuation. Arrivals are only ever late (a thread
 *       woken late), never early, so the clock takes the smallest error of the last
 *       {@value #WINDOW} chunks as the true one and closes it with a time constant of half a
 *       second of audio, each chunk's slew bounded to 5% of its duration. Errors under 1 ms are
 *       left alone. A source whose sample rate runs 0.5% slow is thus followed within about 3 ms,
 *       and the timestamps stay monotonic.</li>
 *   <li>When the smallest error exceeds half a second either way (the source paused, or
 *       the clock jumped), the clock starts again from the arrival time: a gap (or overlap) that
 *       the recorder fills (or trims) and counts.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * Not thread safe: one thread stamps (the one that receives the chunks). The counters may be read
 * from any thread.
 */
public final class SampleClock {
    static final int WINDOW = 20;
    static final long TIME_CONSTANT_US = 500_000;
    static final long MAX_SLEW_PPM = 50_000;
    static final long DEADBAND_US = 1_000;
    static final long RESYNC_US = 500_000;

    private final long[] errors = new long[WINDOW];
    private int count;
    private boolean started;
    /** The continuation: where the next chunk would start, in µs (fractional). */
    private double nextUs;

    private volatile long slewUs;
    private volatile long maxErrorUs;
    private volatile long resyncs;
    private volatile long chunks;

    /**
     * The timestamp (µs on the reference clock) of the first sample of a chunk of {@code samples}
     * samples per channel at {@code sampleRate} Hz that arrived at {@code arrivalUs}.
     */
    public long stamp(int samples, int sampleRate, long arrivalUs) {
        if (samples < 0 || sampleRate <= 0) {
            throw new IllegalArgumentException("a chunk needs samples >= 0 and a positive rate, was " + samples + " at " + sampleRate + " Hz");
        }
        double durationUs = samples * 1_000_000.0 / sampleRate;
        chunks++;
        if (!started) {
            return restart(arrivalUs, durationUs);
        }
        long error = arrivalUs - Math.round(nextUs);
        errors[count++ % WINDOW] = error;
        long min = Long.MAX_VALUE;
        for (int i = 0, n = Math.min(count, WINDOW); i < n; i++) {
            min = Math.min(min, errors[i]);
        }
        if (Math.abs(min) > RESYNC_US) {
            resyncs++;
            return restart(arrivalUs, durationUs);
        }
        maxErrorUs = Math.max(maxErrorUs, Math.abs(min));
        double slew = 0;
        if (Math.abs(min) > DEADBAND_US) {
            double limit = durationUs * MAX_SLEW_PPM / 1_000_000.0;
            slew = Math.max(-limit, Math.min(limit, min * durationUs / TIME_CONSTANT_US));
            // the window still holds errors measured before this slew: shift them with it
            for (int i = 0, n = Math.min(count, WINDOW); i < n; i++) {
                errors[i] -= Math.round(slew);
            }
        }
        nextUs += slew;
        slewUs += Math.round(slew);
        long ts = Math.round(nextUs);
        nextUs += durationUs;
        return ts;
    }

    private long restart(long arrivalUs, double durationUs) {
        started = true;
        count = 0;
        nextUs = arrivalUs + durationUs;
        return arrivalUs;
    }

    /** Forgets the stream: the next chunk is stamped with its arrival time again. */
    public void reset() {
        started = false;
        count = 0;
    }

    /** Net slew applied so far (µs): positive when the samples ran slower than the clock. */
    public long slewUs() {
        return slewUs;
    }

    /** The largest error (µs, after jitter filtering) seen between the samples and the clock. */
    public long maxErrorUs() {
        return maxErrorUs;
    }

    /** Times the clock started again from an arrival time (pauses, clock jumps). */
    public long resyncs() {
        return resyncs;
    }

    /** Chunks stamped. */
    public long chunks() {
        return chunks;
    }
}
