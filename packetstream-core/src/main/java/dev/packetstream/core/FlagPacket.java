package dev.packetstream.core;

/** A control marker with no payload, such as {@link #FINAL}. Immutable and owned. */
public final class FlagPacket extends Packet {
    /** The end of a stream: the stream stops after this packet has passed through. */
    public static final FlagPacket FINAL = new FlagPacket(FLAG_FINAL);

    /** A marker with the given flags. */
    public FlagPacket(int flags) {
        super(flags);
    }

    @Override
    public int size() {
        return 0;
    }

    @Override
    public FlagPacket copy() {
        return this;
    }

    @Override
    protected String describeForError() {
        return isFinal() ? "FlagPacket(FINAL)" : "FlagPacket(flags=" + flags() + ")";
    }
}
