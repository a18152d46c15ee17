package dev.packetstream.av;

import dev.packetstream.core.Packet;
import dev.packetstream.core.PacketProcessor;
import dev.packetstream.core.Retention;
import dev.packetstream.core.media.RawVideoFrame;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Test stages. */
final class Probes {
    private Probes() {
    }

    /** Keeps a copy of every raw video frame by timestamp and passes everything on. */
    static final class KeepOriginals extends PacketProcessor {
        final Map<Long, RawVideoFrame> frames = new ConcurrentHashMap<>();

        KeepOriginals() {
            super("keep-originals", Retention.CLONED);
        }

        @Override
        public void process(Packet packet) {
            if (packet instanceof RawVideoFrame f) {
                frames.put(f.timestampUs(), f.copy());
            }
            emit(packet);
        }
    }

    /** Shows every packet to a consumer during the call and passes it on. */
    static final class Tap extends PacketProcessor {
        private final java.util.function.Consumer<Packet> consumer;

        Tap(String name, java.util.function.Consumer<Packet> consumer) {
            super(name, Retention.BORROWED);
            this.consumer = consumer;
        }

        @Override
        public void process(Packet packet) {
            consumer.accept(packet);
            emit(packet);
        }
    }

    /** Luma PSNR in dB of {@code b} against {@code a} (same size). */
    static double lumaPsnr(RawVideoFrame a, RawVideoFrame b) {
        long sse = 0;
        int w = a.width();
        int h = a.height();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int d = a.lumaAt(x, y) - b.lumaAt(x, y);
                sse += (long) d * d;
            }
        }
        if (sse == 0) {
            return 99;
        }
        double mse = (double) sse / ((long) w * h);
        return 10 * Math.log10(255.0 * 255.0 / mse);
    }
}
