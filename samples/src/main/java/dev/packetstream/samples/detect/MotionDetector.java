package dev.packetstream.samples.detect;

import dev.packetstream.core.Packet;
import dev.packetstream.core.PacketProcessor;
import dev.packetstream.core.Retention;
import dev.packetstream.core.media.RawVideoFrame;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A simple motion detector on the luma plane: it averages the brightness of {@value #BLOCK}x{@value #BLOCK}
 * pixel blocks, compares them with the previous frame it saw, and emits a {@link MotionEvent} with
 * the box around the blocks that changed by more than a threshold. Other packets pass.
 *
 * <h2>Ownership</h2>
 * {@link Retention#CLONED}: it reads the frame during the call and keeps only its own array of
 * block averages.
 *
 * <h2>Threads</h2>
 * One thread at a time (the detect branch's queue worker). {@code artificialDelay} makes each frame
 * take at least that long (to show that a slow detector does not slow delivery).
 */
public final class MotionDetector extends PacketProcessor {
    static final int BLOCK = 16;
    private static final int THRESHOLD = 10;

    private final double minChanged;
    private final long delayNanos;
    private int[] previous;
    private int previousWidth;
    private int previousHeight;
    private final AtomicLong analysed = new AtomicLong();
    private final AtomicLong events = new AtomicLong();

    /**
     * @param minChanged      the share of blocks (0..1) that must change for an event
     * @param artificialDelay extra time per frame (simulates an expensive detector); zero for none
     */
    public MotionDetector(String name, double minChanged, Duration artificialDelay) {
        super(name, Retention.CLONED);
        this.minChanged = minChanged;
        this.delayNanos = artificialDelay.toNanos();
    }

    @Override
    public boolean accepts(Packet packet) {
        return packet instanceof RawVideoFrame;
    }

    @Override
    public void process(Packet packet) {
        long start = System.nanoTime();
        RawVideoFrame f = (RawVideoFrame) packet;
        int cols = f.width() / BLOCK;
        int rows = f.height() / BLOCK;
        int[] blocks = blockAverages(f, cols, rows);
        if (previous != null && previousWidth == f.width() && previousHeight == f.height()) {
            compare(blocks, cols, rows, f.timestampUs());
        }
        previous = blocks;
        previousWidth = f.width();
        previousHeight = f.height();
        analysed.incrementAndGet();
        simulateSlowness(start);
    }

    private static int[] blockAverages(RawVideoFrame f, int cols, int rows) {
        int[] out = new int[cols * rows];
        // Sample every 4th pixel of every 4th row in each block: 16 samples per block is plenty.
        for (int by = 0; by < rows; by++) {
            for (int bx = 0; bx < cols; bx++) {
                int sum = 0;
                for (int y = 0; y < BLOCK; y += 4) {
                    for (int x = 0; x < BLOCK; x += 4) {
                        sum += f.lumaAt(bx * BLOCK + x, by * BLOCK + y);
                    }
                }
                out[by * cols + bx] = sum / 16;
            }
        }
        return out;
    }

    private void compare(int[] blocks, int cols, int rows, long timestampUs) {
        int minX = cols;
        int minY = rows;
        int maxX = -1;
        int maxY = -1;
        int changedBlocks = 0;
        for (int by = 0; by < rows; by++) {
            for (int bx = 0; bx < cols; bx++) {
                int i = by * cols + bx;
                if (Math.abs(blocks[i] - previous[i]) > THRESHOLD) {
                    changedBlocks++;
                    minX = Math.min(minX, bx);
                    minY = Math.min(minY, by);
                    maxX = Math.max(maxX, bx);
                    maxY = Math.max(maxY, by);
                }
            }
        }
        double share = (double) changedBlocks / (cols * rows);
        if (changedBlocks > 0 && share >= minChanged) {
            emit(new MotionEvent(events.incrementAndGet(), timestampUs, (double) minX / cols, (double) minY / rows,
                    (double) (maxX - minX + 1) / cols, (double) (maxY - minY + 1) / rows, share));
        }
    }

    private void simulateSlowness(long start) {
        long left = delayNanos - (System.nanoTime() - start);
        if (left > 0) {
            try {
                Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Frames analysed. */
    public long analysed() {
        return analysed.get();
    }

    /** Motion events emitted. */
    public long events() {
        return events.get();
    }
}
