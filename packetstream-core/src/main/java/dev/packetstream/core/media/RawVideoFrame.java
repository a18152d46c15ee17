package dev.packetstream.core.media;

import dev.packetstream.core.Packet;
import java.nio.ByteBuffer;

/**
 * A raw video frame in I420 (YUV 4:2:0 planar): a Y plane of {@code width x height} and U and V
 * planes of {@code ceil(width/2) x ceil(height/2)}, each with its own stride, and a timestamp in
 * microseconds from the source's clock.
 *
 * <p>Made owned ({@link #allocate}, {@link #own}), borrowed ({@link #borrow}: a capture buffer the
 * source reuses) or reference counted ({@link #wrapRetained}: a native frame, freed by the
 * deallocator on the last release). See {@link Packet} for what each means for a stage that keeps
 * it. Plane buffers are shared with the frame: use absolute gets and puts, or {@code duplicate()}
 * them first.
 */
public final class RawVideoFrame extends Packet {
    private final int width;
    private final int height;
    private final ByteBuffer y;
    private final ByteBuffer u;
    private final ByteBuffer v;
    private final int strideY;
    private final int strideU;
    private final int strideV;
    private final long timestampUs;

    private RawVideoFrame(int width, int height, ByteBuffer y, int strideY, ByteBuffer u, int strideU,
                          ByteBuffer v, int strideV, long timestampUs, boolean borrowed, Runnable deallocator) {
        super(0, borrowed, deallocator);
        this.width = width;
        this.height = height;
        this.y = y;
        this.u = u;
        this.v = v;
        this.strideY = strideY;
        this.strideU = strideU;
        this.strideV = strideV;
        this.timestampUs = timestampUs;
        validate();
    }

    private void validate() {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("frame size must be positive, was " + width + "x" + height);
        }
        int cw = chromaWidth(width);
        int ch = chromaHeight(height);
        if (strideY < width || strideU < cw || strideV < cw) {
            throw new IllegalArgumentException("strides " + strideY + "/" + strideU + "/" + strideV
                    + " are smaller than the rows of a " + width + "x" + height + " I420 frame");
        }
        checkPlane("Y", y, strideY, width, height);
        checkPlane("U", u, strideU, cw, ch);
        checkPlane("V", v, strideV, cw, ch);
    }

    private static void checkPlane(String plane, ByteBuffer b, int stride, int w, int h) {
        long need = (long) stride * (h - 1) + w;
        if (b == null || b.capacity() < need) {
            throw new IllegalArgumentException("plane " + plane + " holds " + (b == null ? 0 : b.capacity())
                    + " bytes, a " + w + "x" + h + " plane with stride " + stride + " needs " + need);
        }
    }

    /** The width of the U and V planes of a frame {@code width} wide. */
    public static int chromaWidth(int width) {
        return (width + 1) / 2;
    }

    /** The height of the U and V planes of a frame {@code height} high. */
    public static int chromaHeight(int height) {
        return (height + 1) / 2;
    }

    /** The bytes of a tightly packed I420 frame of this size. */
    public static int i420Size(int width, int height) {
        return width * height + 2 * chromaWidth(width) * chromaHeight(height);
    }

    /** A new owned, zeroed frame with tight strides, in heap memory. */
    public static RawVideoFrame allocate(int width, int height, long timestampUs) {
        int cw = chromaWidth(width);
        int ch = chromaHeight(height);
        return new RawVideoFrame(width, height, ByteBuffer.allocate(width * height), width,
                ByteBuffer.allocate(cw * ch), cw, ByteBuffer.allocate(cw * ch), cw, timestampUs, false, null);
    }

    /** Wraps planes the caller reuses after the call that lends the frame returns. */
    public static RawVideoFrame borrow(int width, int height, ByteBuffer y, int strideY, ByteBuffer u, int strideU,
                                       ByteBuffer v, int strideV, long timestampUs) {
        return new RawVideoFrame(width, height, y, strideY, u, strideU, v, strideV, timestampUs, true, null);
    }

    /** Takes planes over: the caller must not change them after emitting the frame. */
    public static RawVideoFrame own(int width, int height, ByteBuffer y, int strideY, ByteBuffer u, int strideU,
                                    ByteBuffer v, int strideV, long timestampUs) {
        return new RawVideoFrame(width, height, y, strideY, u, strideU, v, strideV, timestampUs, false, null);
    }

    /**
     * Wraps native planes in a reference-counted frame with one reference, held by the caller;
     * {@code deallocator} frees them on the last release and must not reference the frame.
     */
    public static RawVideoFrame wrapRetained(int width, int height, ByteBuffer y, int strideY, ByteBuffer u, int strideU,
                                             ByteBuffer v, int strideV, long timestampUs, Runnable deallocator) {
        return new RawVideoFrame(width, height, y, strideY, u, strideU, v, strideV, timestampUs, false, deallocator);
    }

    public int width() {
        checkAccess();
        return width;
    }

    public int height() {
        checkAccess();
        return height;
    }

    /** The Y plane (shared). */
    public ByteBuffer dataY() {
        checkAccess();
        return y;
    }

    /** The U plane (shared). */
    public ByteBuffer dataU() {
        checkAccess();
        return u;
    }

    /** The V plane (shared). */
    public ByteBuffer dataV() {
        checkAccess();
        return v;
    }

    public int strideY() {
        checkAccess();
        return strideY;
    }

    public int strideU() {
        checkAccess();
        return strideU;
    }

    public int strideV() {
        checkAccess();
        return strideV;
    }

    /** The capture time in microseconds, from the source's clock. */
    public long timestampUs() {
        checkAccess();
        return timestampUs;
    }

    /** The luma sample at (x, y). */
    public int lumaAt(int x, int row) {
        checkAccess();
        return y.get(row * strideY + x) & 0xff;
    }

    @Override
    public int size() {
        checkAccess();
        return i420Size(width, height);
    }

    /** A deep copy with tight strides in heap memory. */
    @Override
    public RawVideoFrame copy() {
        RawVideoFrame c = allocate(width(), height, timestampUs);
        copyTo(c.y, c.strideY, c.u, c.strideU, c.v, c.strideV);
        return c;
    }

    /**
     * Copies the three planes into caller buffers (for example a native buffer of a video
     * track), row by row, honouring both sides' strides: the one copy a hand-off needs.
     */
    public void copyTo(ByteBuffer dstY, int dstStrideY, ByteBuffer dstU, int dstStrideU,
                       ByteBuffer dstV, int dstStrideV) {
        checkAccess();
        int cw = chromaWidth(width);
        int ch = chromaHeight(height);
        copyPlane(y, strideY, dstY, dstStrideY, width, height);
        copyPlane(u, strideU, dstU, dstStrideU, cw, ch);
        copyPlane(v, strideV, dstV, dstStrideV, cw, ch);
    }

    private static void copyPlane(ByteBuffer src, int srcStride, ByteBuffer dst, int dstStride, int w, int h) {
        if (srcStride == w && dstStride == w) {
            dst.put(0, src, 0, w * h);
            return;
        }
        for (int row = 0; row < h; row++) {
            dst.put(row * dstStride, src, row * srcStride, w);
        }
    }

    @Override
    protected String describeForError() {
        return "RawVideoFrame " + width + "x" + height + " @" + timestampUs + "us"
                + (isBorrowed() ? ", borrowed" : isRefCounted() ? ", reference counted" : "");
    }
}
