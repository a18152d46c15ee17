package dev.packetstream.av;

import dev.packetstream.core.Packet;
import dev.packetstream.core.PacketProcessor;
import dev.packetstream.core.Retention;
import dev.packetstream.core.media.FrameSize;
import dev.packetstream.core.media.RawVideoFrame;
import java.nio.ByteBuffer;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Converts video of any {@link PixelFormat} ({@link PixelFrame}) or I420 of any size
 * ({@link RawVideoFrame}) to I420 {@link RawVideoFrame}s of one size, with swscale. Other packets
 * pass by. An I420 frame that already has the target size passes through untouched (no copy).
 *
 * <h2>Ownership</h2>
 * {@link Retention#BORROWED}. The converted frames it emits are <em>borrowed</em> views of its one
 * reusable native buffer (the conversion is the one copy), overwritten by the next frame. Planes
 * in heap buffers are first staged into native memory (a second copy): prefer direct buffers.
 *
 * <h2>Checks</h2>
 * The target size must be even (I420); a plane smaller than its rows times its stride fails the
 * stage with a message naming the plane; a closed converter refuses frames.
 *
 * <h2>Threads</h2>
 * {@code process} must not run on two threads at once. {@link #close()} frees the buffers.
 */
public final class VideoConverter extends PacketProcessor implements AutoCloseable {
    private final int width;
    private final int height;
    private final I420Scaler scaler;
    private final PointerPointer<BytePointer> srcData = new PointerPointer<>(4);
    private final IntPointer srcStrides = new IntPointer(4);
    private final BytePointer[] staging = new BytePointer[4];
    private long converted;
    private long passedThrough;
    private long stagingCopies;
    private boolean closed;

    /** Converts to I420 at {@code width x height} (even, positive). */
    public VideoConverter(String name, int width, int height) {
        super(name, Retention.BORROWED);
        FrameSize size = FrameSize.of("converter '" + name + "': target size", width, height);
        this.width = size.width();
        this.height = size.height();
        this.scaler = new I420Scaler(name);
    }

    public VideoConverter(int width, int height) {
        this("convert-" + width + "x" + height, width, height);
    }

    @Override
    public boolean accepts(Packet packet) {
        return packet instanceof RawVideoFrame || packet instanceof PixelFrame;
    }

    @Override
    public synchronized void process(Packet packet) {
        emit(convert(packet));
    }

    /**
     * The frame at the target size: {@code packet} itself when it is I420 of that size, else a
     * borrowed view of this converter's buffer, valid until the next call.
     */
    synchronized RawVideoFrame convert(Packet packet) {
        if (closed) {
            throw new IllegalStateException("stage '" + name() + "' is closed; build a new converter");
        }
        if (packet instanceof RawVideoFrame f) {
            if (f.width() == width && f.height() == height) {
                passedThrough++;
                return f;
            }
            int ch = RawVideoFrame.chromaHeight(f.height());
            setPlane(0, f.dataY(), f.strideY(), f.height());
            setPlane(1, f.dataU(), f.strideU(), ch);
            setPlane(2, f.dataV(), f.strideV(), ch);
            return convert(PixelFormat.I420.ffmpegId(), f.width(), f.height(), f.timestampUs());
        } else {
            PixelFrame f = (PixelFrame) packet;
            for (int i = 0; i < f.format().planes(); i++) {
                int rows = f.format() == PixelFormat.I420 && i > 0 ? RawVideoFrame.chromaHeight(f.height())
                        : (f.format() == PixelFormat.NV12 || f.format() == PixelFormat.NV21) && i > 0
                        ? RawVideoFrame.chromaHeight(f.height()) : f.height();
                setPlane(i, f.plane(i), f.stride(i), rows);
            }
            return convert(f.format().ffmpegId(), f.width(), f.height(), f.timestampUs());
        }
    }

    private void setPlane(int i, ByteBuffer plane, int stride, int rows) {
        long need = (long) stride * rows;
        if (plane.remaining() < need) {
            throw new IllegalArgumentException("converter '" + name() + "': plane " + i + " holds " + plane.remaining()
                    + " bytes, " + rows + " rows of stride " + stride + " need " + need);
        }
        BytePointer p;
        if (plane.isDirect()) {
            p = new BytePointer(plane);
        } else {
            if (staging[i] == null || staging[i].capacity() < need) {
                if (staging[i] != null) {
                    staging[i].close();
                }
                staging[i] = new BytePointer(need);
            }
            p = staging[i];
            p.position(0).limit(need).asBuffer().put(plane.duplicate().limit(plane.position() + (int) need));
            stagingCopies++;
        }
        srcData.put(i, p);
        srcStrides.put(i, stride);
    }

    private RawVideoFrame convert(int format, int w, int h, long ts) {
        AVFrame out = scaler.scale(srcData, srcStrides, format, w, h, width, height);
        converted++;
        return I420Scaler.borrow(out, width, height, ts);
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    /** Frames converted (one copy each). */
    public long converted() {
        return converted;
    }

    /** I420 frames of the target size passed through without a copy. */
    public long passedThrough() {
        return passedThrough;
    }

    /** Heap planes staged into native memory (an extra copy each). */
    public long stagingCopies() {
        return stagingCopies;
    }

    @Override
    protected void onClose() {
        close();
    }

    /** Frees the native buffers. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        scaler.close();
        for (int i = 0; i < staging.length; i++) {
            if (staging[i] != null) {
                staging[i].close();
                staging[i] = null;
            }
        }
    }
}
