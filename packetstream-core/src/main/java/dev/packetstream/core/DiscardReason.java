package dev.packetstream.core;

/**
 * Why a packet was dropped. Every drop in the SDK goes through
 * {@link PacketStreamAdapter#discard(Packet, DiscardReason)} (or the stream's own drops), is
 * counted per stage and per reason, and shows in {@link PacketStream#stats()} and
 * {@link PacketStream#describe()}.
 */
public enum DiscardReason {
    /** A full queue made room, or refused the packet, by its {@link OverflowPolicy}. */
    OVERFLOW,
    /**
     * The stream or the stage was not running: written before start, while paused or stopping,
     * after stop; or still queued when a stop ran out of time.
     */
    INACTIVE,
    /** Arrived after the stream, the stage, its session or its branch closed. */
    CLOSED,
    /** Decoding could not start (or restart) before a keyframe: dropped until the next one. */
    WAITING_FOR_KEYFRAME,
    /** Before the stage's start point (a recording's common start of audio and video). */
    BEFORE_START,
    /** Its timestamp did not increase where the stage needs it to (encoders). */
    OUT_OF_ORDER,
    /** The bytes were refused as corrupt (decoders). */
    CORRUPT,
    /** Of a kind the stage was configured to leave out (a recording without audio, a sender without video). */
    UNSUPPORTED,
    /** Left out to keep under a frame-rate cap (a sender's {@code maxFramerate}). */
    RATE_LIMITED,
    /** The stage's output broke earlier (a failed write); it drops what comes after. */
    FAILED;

    /** The name shown by {@link PacketStream#describe()}: lower case, with hyphens. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
