package dev.packetstream.av;

/**
 * Where encoded audio packets go on the recording's audio track, by {@link AudioTimeline}'s rule:
 * back-to-back while the timestamps agree, at their own timestamp after a gap, dropped when they
 * overlap audio already written. Counts the gaps and the drops.
 *
 * <p>Not thread-safe: the recorder calls it under its own lock; the counters may be read from any
 * thread.
 */
final class EncodedAudioPlacement {
    /** Where the audio written so far ends, in samples at the track's rate; MIN_VALUE before the first. */
    private long next = Long.MIN_VALUE;
    private volatile long gapSamples;
    private volatile long droppedSamples;
    private volatile long droppedPackets;

    /**
     * The position (in samples, ≥ 0) to write a packet of {@code samples} stamped {@code pts}
     * (samples from the file's start, ≥ 0) at, or -1 when it overlaps audio already written and
     * must be dropped (counted).
     */
    long place(long pts, int samples, int rate) {
        if (next != Long.MIN_VALUE) {
            AudioTimeline.Decision d = AudioTimeline.encoded(pts, next, rate);
            switch (d.action()) {
                case CONTINUE -> pts = next;
                case FILL -> gapSamples += d.samples();
                default -> {
                    droppedPackets++;
                    droppedSamples += samples;
                    return -1;
                }
            }
        }
        next = pts + samples;
        return pts;
    }

    /** A new file: the next packet starts the track. The counters keep counting. */
    void reset() {
        next = Long.MIN_VALUE;
    }

    long gapSamples() {
        return gapSamples;
    }

    long droppedSamples() {
        return droppedSamples;
    }

    long droppedPackets() {
        return droppedPackets;
    }
}
