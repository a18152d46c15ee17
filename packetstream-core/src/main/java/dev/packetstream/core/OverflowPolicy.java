package dev.packetstream.core;

/** What a full queue does with a new packet. Every drop is counted. */
public enum OverflowPolicy {
    /** Drops the oldest waiting packet to make room: fresh data wins (live media). The default. */
    DROP_OLDEST,
    /** Drops the new packet: what is queued wins. */
    DROP_NEWEST,
    /** The writer waits for room: backpressure, nothing is dropped while the queue runs. */
    BLOCK,
    /**
     * Drops everything waiting, then encoded video ({@link dev.packetstream.core.media.EncodedVideoPacket})
     * up to the next keyframe: a slow consumer of encoded video skips ahead to where decoding can
     * start again, instead of getting packets it cannot decode. Other packets (audio, raw frames)
     * are queued as usual. A keyframe that overflows the queue is kept. Drops are counted as
     * {@link DiscardReason#OVERFLOW} and {@link DiscardReason#WAITING_FOR_KEYFRAME}.
     */
    DROP_TO_KEYFRAME
}
