package dev.packetstream.core;

import java.nio.ByteBuffer;

/**
 * A packet of raw bytes.
 *
 * <p>{@link #borrow(byte[])} wraps the caller's memory without copying: the caller may reuse it
 * as soon as the call that wrote the packet returns (see {@link Packet}). {@link #copyOf(byte[])}
 * owns a copy.
 *
 * <p>The payload is the bytes from the buffer's position to its limit when the packet was made.
 * {@link #buffer()} returns a buffer shared with the packet: read it with absolute gets, or
 * {@code duplicate()} it before relative reads.
 */
public class RawPacket extends Packet {
    private final ByteBuffer data;

    private RawPacket(ByteBuffer data, int flags, boolean borrowed) {
        super(flags, borrowed);
        this.data = data;
    }

    /** Wraps {@code bytes} without copying. */
    public static RawPacket borrow(byte[] bytes) {
        return new RawPacket(ByteBuffer.wrap(bytes), 0, true);
    }

    /** Wraps {@code length} bytes of {@code bytes} from {@code offset}, without copying. */
    public static RawPacket borrow(byte[] bytes, int offset, int length) {
        return new RawPacket(ByteBuffer.wrap(bytes, offset, length).slice(), 0, true);
    }

    /** Wraps the remaining bytes of {@code buffer} (heap or direct) without copying. */
    public static RawPacket borrow(ByteBuffer buffer) {
        return new RawPacket(buffer.slice(), 0, true);
    }

    /** A packet that owns a copy of {@code bytes}. */
    public static RawPacket copyOf(byte[] bytes) {
        return copyOf(bytes, 0, bytes.length, 0);
    }

    /** A packet that owns a copy of {@code length} bytes of {@code bytes} from {@code offset}, with flags. */
    public static RawPacket copyOf(byte[] bytes, int offset, int length, int flags) {
        byte[] c = new byte[length];
        System.arraycopy(bytes, offset, c, 0, length);
        return new RawPacket(ByteBuffer.wrap(c), flags, false);
    }

    /** A packet that owns a copy of the remaining bytes of {@code buffer}. */
    public static RawPacket copyOf(ByteBuffer buffer) {
        byte[] c = new byte[buffer.remaining()];
        buffer.duplicate().get(c);
        return new RawPacket(ByteBuffer.wrap(c), 0, false);
    }

    /** A packet that takes {@code bytes} over: the caller must not change them afterwards. */
    public static RawPacket own(byte[] bytes, int flags) {
        return new RawPacket(ByteBuffer.wrap(bytes), flags, false);
    }

    @Override
    public int size() {
        checkAccess();
        return data.remaining();
    }

    /** The payload, shared with this packet (position 0 to limit {@link #size()}). */
    public ByteBuffer buffer() {
        checkAccess();
        return data;
    }

    /** One byte of the payload. */
    public byte get(int index) {
        checkAccess();
        return data.get(data.position() + index);
    }

    /** A new array with the payload. */
    public byte[] toByteArray() {
        checkAccess();
        byte[] out = new byte[data.remaining()];
        data.duplicate().get(out);
        return out;
    }

    @Override
    public RawPacket copy() {
        checkAccess();
        return new RawPacket(ByteBuffer.wrap(toByteArray()), flags(), false);
    }

    @Override
    protected String describeForError() {
        return "RawPacket of " + data.remaining() + " bytes" + (isBorrowed() ? ", borrowed" : "");
    }
}
