package dev.packetstream.samples.detect;

import dev.packetstream.core.Packet;
import dev.packetstream.core.PacketProcessor;
import dev.packetstream.core.Retention;
import dev.packetstream.core.media.RawVideoFrame;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Passes every {@code n}th video frame and drops the rest (counted); other packets pass. Borrows:
 * it keeps nothing. Runs on the writer's thread, before the detect branch's queue boundary.
 */
public final class FrameSampler extends PacketProcessor {
    private final int every;
    private final AtomicLong seen = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();

    public FrameSampler(String name, int every) {
        super(name, Retention.BORROWED);
        if (every < 1) {
            throw new IllegalArgumentException("sampler '" + name + "': every must be >= 1, was " + every);
        }
        this.every = every;
    }

    @Override
    public boolean accepts(Packet packet) {
        return packet instanceof RawVideoFrame;
    }

    @Override
    public void process(Packet packet) {
        if (seen.getAndIncrement() % every == 0) {
            emit(packet);
        } else {
            skipped.incrementAndGet();
        }
    }

    /** Frames not passed on. */
    public long skipped() {
        return skipped.get();
    }
}
