package dev.packetstream.samples.common;

import dev.packetstream.core.Packet;
import dev.packetstream.core.PacketProcessor;
import dev.packetstream.core.Retention;
import dev.packetstream.core.media.RawVideoFrame;
import java.nio.ByteBuffer;

/**
 * A measurement aid: draws the wall-clock time (milliseconds since the epoch) into the top-left
 * corner of each video frame as a barcode, so that a viewer page can read it back and compute
 * glass-to-glass latency (see {@code samples/README.md}). {@value #BITS} bits, least significant
 * first, as {@value #BLOCK}x{@value #BLOCK} blocks (white 1, black 0) in {@value #ROWS} rows, aligned
 * to the encoder's macroblocks so that compression keeps them readable.
 *
 * <h2>Ownership</h2>
 * The incoming frame is borrowed and must not be changed, so each frame is copied (owned, one extra
 * copy per frame: this stage is off unless asked for), stamped and emitted. Other packets pass.
 */
public final class ClockStamp extends PacketProcessor {
    public static final int BITS = 42;
    public static final int BLOCK = 16;
    public static final int ROWS = 2;
    private static final int PER_ROW = BITS / ROWS;

    public ClockStamp(String name) {
        super(name, Retention.CLONED);
    }

    @Override
    public void process(Packet packet) {
        if (!(packet instanceof RawVideoFrame f) || f.width() < PER_ROW * BLOCK || f.height() < ROWS * BLOCK) {
            emit(packet);
            return;
        }
        RawVideoFrame copy = f.copy();
        stamp(copy, System.currentTimeMillis());
        emit(copy);
    }

    static void stamp(RawVideoFrame f, long millis) {
        ByteBuffer y = f.dataY();
        ByteBuffer u = f.dataU();
        ByteBuffer v = f.dataV();
        for (int bit = 0; bit < BITS; bit++) {
            int value = ((millis >>> bit) & 1) == 1 ? 235 : 16;
            int x0 = (bit % PER_ROW) * BLOCK;
            int y0 = (bit / PER_ROW) * BLOCK;
            for (int row = y0; row < y0 + BLOCK; row++) {
                for (int x = x0; x < x0 + BLOCK; x++) {
                    y.put(row * f.strideY() + x, (byte) value);
                }
            }
            for (int row = y0 / 2; row < (y0 + BLOCK) / 2; row++) {
                for (int x = x0 / 2; x < (x0 + BLOCK) / 2; x++) {
                    u.put(row * f.strideU() + x, (byte) 128);
                    v.put(row * f.strideV() + x, (byte) 128);
                }
            }
        }
    }
}
