package dev.packetstream.av;

import dev.packetstream.core.Packet;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A raw video frame in any {@link PixelFormat} (packed RGB, YUYV, NV12, ...): what a
 * {@link VideoConverter} turns into I420. Planes and strides in bytes, timestamp in microseconds.
 *
 * <p>Made owned ({@link #own}) or borrowed ({@link #borrow}); see {@link Packet}. Direct buffers
 * are converted without a staging copy.
 */
public final class PixelFrame extends Packet {
    private final PixelFormat format;
    private final int width;
    private final int height;
    private final ByteBuffer[] planes;
    private final int[] strides;
    private final long timestampUs;

    private PixelFrame(PixelFormat format, int width, int height, ByteBuffer[] planes, int[] strides, long timestampUs,
                       boolean borrowed) {
        super(0, borrowed);
        this.format = Objects.requireNonNull(format, "format");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("frame size must be positive, was " + width + "x" + height);
        }
        if (planes.length != format.planes() || strides.length != format.planes()) {
            throw new IllegalArgumentException(format + " has " + format.planes() + " plane(s), got " + planes.length
                    + " buffers and " + strides.length + " strides");
        }
        this.width = width;
        this.height = height;
        this.planes = planes.clone();
        this.strides = strides.clone();
        this.timestampUs = timestampUs;
    }

    /** Wraps planes the caller reuses after the call that lends the frame returns. */
    public static PixelFrame borrow(PixelFormat format, int width, int height, ByteBuffer[] planes, int[] strides, long timestampUs) {
        return new PixelFrame(format, width, height, planes, strides, timestampUs, true);
    }

    /** Takes planes over: the caller must not change them after emitting the frame. */
    public static PixelFrame own(PixelFormat format, int width, int height, ByteBuffer[] planes, int[] strides, long timestampUs) {
        return new PixelFrame(format, width, height, planes, strides, timestampUs, false);
    }

    public PixelFormat format() {
        checkAccess();
        return format;
    }

    public int width() {
        checkAccess();
        return width;
    }

    public int height() {
        checkAccess();
        return height;
    }

    /** Plane {@code i} (shared). */
    public ByteBuffer plane(int i) {
        checkAccess();
        return planes[i];
    }

    /** The stride of plane {@code i} in bytes. */
    public int stride(int i) {
        checkAccess();
        return strides[i];
    }

    public long timestampUs() {
        checkAccess();
        return timestampUs;
    }

    @Override
    public int size() {
        checkAccess();
        int n = 0;
        for (ByteBuffer b : planes) {
            n += b.remaining();
        }
        return n;
    }

    @Override
    public PixelFrame copy() {
        checkAccess();
        ByteBuffer[] c = new ByteBuffer[planes.length];
        for (int i = 0; i < planes.length; i++) {
            ByteBuffer src = planes[i].duplicate();
            c[i] = ByteBuffer.allocate(src.remaining()).put(src).flip();
        }
        return own(format, width, height, c, strides, timestampUs);
    }

    @Override
    protected String describeForError() {
        return "PixelFrame " + format + " " + width + "x" + height + " @" + timestampUs + "us strides " + Arrays.toString(strides)
                + (isBorrowed() ? ", borrowed" : "");
    }
}
