package dev.packetstream.core.media;

import java.nio.ByteBuffer;

/** Copies of shared buffers, for the media packets' {@code copy()} and accessors. */
final class Buffers {
    private Buffers() {
    }

    /** A new array with the buffer's remaining bytes; the buffer's position is left as it was. */
    static byte[] toArray(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    /** {@link #toArray}, or null for null. */
    static byte[] toArrayOrNull(ByteBuffer b) {
        return b == null ? null : toArray(b);
    }
}
