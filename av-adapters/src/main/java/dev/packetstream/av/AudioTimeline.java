package dev.packetstream.av;

/**
 * The recorder's rule for placing audio on a file's timeline, for raw and encoded input alike.
 * Audio in a file is a continuous run of samples: its timestamps count samples. Sources stamp
 * their audio on the clock video is stamped on; this rule keeps the sample count on that clock.
 *
 * <p>For each frame or packet, the error is its timestamp minus the continuation (where the
 * samples written so far end), in samples:
 * <ul>
 *   <li>within ±{@value #SOFT_US} µs: written back-to-back (timestamps jitter, samples do not);</li>
 *   <li>raw audio, up to ±{@value #HARD_US} µs (drift, which builds up slowly): the resampler
 *       stretches (or squeezes) the audio by the error over at least a second (at most 2%,
 *       inaudible on speech), counted;</li>
 *   <li>beyond +{@value #HARD_US} µs (raw) or +{@value #SOFT_US} µs (encoded, which cannot be
 *       stretched): a gap (lost chunks, a pause) — raw audio gets that much silence where the
 *       audio is missing, encoded audio is written at its own
 *       timestamp, leaving the gap in the file; counted;</li>
 *   <li>beyond −{@value #HARD_US} µs (raw) or −{@value #SOFT_US} µs (encoded): an overlap —
 *       the overlapping samples (raw) or packet (encoded) are dropped, counted.</li>
 * </ul>
 * So the audio stays within 20 ms of its timestamps, and no audio is lost or added unseen.
 */
final class AudioTimeline {
    static final long SOFT_US = 5_000;
    static final long HARD_US = 20_000;

    /** What to do with the next frame or packet. */
    enum Action { CONTINUE, STRETCH, FILL, TRIM }

    /** An action and its size in samples (signed for {@link Action#STRETCH}: negative squeezes). */
    record Decision(Action action, long samples) {
    }

    private AudioTimeline() {
    }

    /** Raw audio whose first sample is due at {@code pts}, when the written samples end at {@code continuation}. */
    static Decision raw(long pts, long continuation, int rate) {
        long error = pts - continuation;
        long soft = SOFT_US * rate / 1_000_000;
        long hard = HARD_US * rate / 1_000_000;
        if (Math.abs(error) <= soft) {
            return new Decision(Action.CONTINUE, 0);
        }
        if (error > hard) {
            return new Decision(Action.FILL, error);
        }
        if (error < -hard) {
            return new Decision(Action.TRIM, -error);
        }
        return new Decision(Action.STRETCH, error);
    }

    /** An encoded packet due at {@code pts}: CONTINUE (write at the continuation), FILL (write at pts) or TRIM (drop). */
    static Decision encoded(long pts, long continuation, int rate) {
        long error = pts - continuation;
        long soft = SOFT_US * rate / 1_000_000;
        if (Math.abs(error) <= soft) {
            return new Decision(Action.CONTINUE, 0);
        }
        return error > 0 ? new Decision(Action.FILL, error) : new Decision(Action.TRIM, -error);
    }

    /** Stretch spread over at least a second, at most 2%. */
    static int stretchDistance(long samples, int rate) {
        return (int) Math.max(rate, Math.abs(samples) * 50);
    }
}
