package dev.packetstream.webrtc.encoded;

import dev.packetstream.core.DiscardReason;

/**
 * A video track's queue policy: start on a keyframe, and when the queue is full drop up to the
 * next keyframe. Says when to ask for a keyframe: once the queue has room again (a peer that stays
 * stalled asks for nothing), at most every {@link #REQUEST_INTERVAL_NS}.
 *
 * <h2>Threads</h2>
 * Called by any number of writer threads; the state is a few volatile flags, and a race between two
 * writers can at worst let one extra delta frame through at a restart, or ask twice.
 */
final class KeyframeGate {
    static final long REQUEST_INTERVAL_NS = 500_000_000L;

    /** What to do with one video packet. */
    record Decision(DiscardReason drop, EncodedTrackSender.KeyframeReason request) {
        static final Decision PUSH = new Decision(null, null);

        boolean push() {
            return drop == null;
        }
    }

    private final int queueLimit;
    private volatile boolean waiting = true;
    private volatile boolean overflowed;
    private volatile long lastRequestNs = System.nanoTime() - REQUEST_INTERVAL_NS;

    KeyframeGate(int queueLimit) {
        this.queueLimit = queueLimit;
    }

    /** Decides for a video packet, given how many packets the track's queue holds now. */
    Decision admit(long queued, boolean keyframe) {
        if (queued >= queueLimit) {
            if (!waiting) {
                waiting = true;
                overflowed = true;
            }
            return new Decision(DiscardReason.OVERFLOW, null);
        }
        if (!waiting) {
            return Decision.PUSH;
        }
        if (keyframe) {
            waiting = false;
            overflowed = false;
            return Decision.PUSH;
        }
        EncodedTrackSender.KeyframeReason ask = null;
        if (queued < queueLimit / 2 && dueForRequest()) {
            ask = overflowed ? EncodedTrackSender.KeyframeReason.QUEUE_OVERFLOW
                    : EncodedTrackSender.KeyframeReason.WAITING_FOR_KEYFRAME;
        }
        return new Decision(DiscardReason.WAITING_FOR_KEYFRAME, ask);
    }

    /** Restarts at the next keyframe (the transport connected); the caller asks for one now. */
    void restart() {
        waiting = true;
        lastRequestNs = System.nanoTime();
    }

    private boolean dueForRequest() {
        long now = System.nanoTime();
        if (now - lastRequestNs < REQUEST_INTERVAL_NS) {
            return false;
        }
        lastRequestNs = now;
        return true;
    }
}
