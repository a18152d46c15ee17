package dev.packetstream.samples;

import java.util.List;

/**
 * The non-decoding viewers that load a relay for its capacity figure: {@link LoadViewers} (GStreamer
 * webrtcbin receivers) or {@link dev.packetstream.samples.wire.WireViewers} (ICE-lite, DTLS-SRTP and
 * RTP counting on one thread for all viewers).
 */
public interface LoadReceivers extends AutoCloseable {

    /** What one viewer counted so far. */
    interface Counts {
        /** Video frames received. */
        long frames();

        long keyframes();

        long audioPackets();

        /** Frames missing, from the gaps between the frames' timestamps. */
        long missing();

        /** Whether the first frame was a keyframe; null before the first frame. */
        Boolean firstWasKeyframe();
    }

    /**
     * The frames a viewer missed between two frames received {@code intervals} frame intervals
     * apart: none up to 1.5 intervals (jitter), else the whole intervals in between. Both kinds of
     * viewers count {@link Counts#missing()} by it.
     */
    static long framesSkipped(double intervals) {
        return intervals > 1.5 ? Math.round(intervals) - 1 : 0;
    }

    /** Adds viewers until there are {@code count}; each has joined the room when this returns. */
    void growTo(int count);

    List<? extends Counts> viewers();

    /** What the receivers are, for the figures' lines. */
    String describe();

    @Override
    void close();
}
