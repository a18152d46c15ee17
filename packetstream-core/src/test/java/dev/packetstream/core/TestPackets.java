package dev.packetstream.core;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/** Helpers for core tests. */
final class TestPackets {
    private TestPackets() {
    }

    static String text(Packet p) {
        return new String(((RawPacket) p).toByteArray(), StandardCharsets.UTF_8);
    }

    static RawPacket borrowed(String s) {
        return RawPacket.borrow(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A reference-counted packet whose deallocation is counted. */
    static final class Counted extends Packet {
        final int id;

        Counted(int id, AtomicInteger freed) {
            super(0, freed::incrementAndGet);
            this.id = id;
        }

        Counted(int id, AtomicInteger freed, LeakDetector detector) {
            super(0, freed::incrementAndGet, detector);
            this.id = id;
        }

        int id() {
            checkAccess();
            return id;
        }

        @Override
        public int size() {
            checkAccess();
            return 4;
        }

        @Override
        public Packet copy() {
            checkAccess();
            return RawPacket.copyOf(new byte[] {(byte) id});
        }
    }

    /** A processor that re-emits what it gets, recording names in order. */
    static final class Tag extends PacketProcessor {
        private final StringBuffer log;

        Tag(String name, StringBuffer log) {
            super(name);
            this.log = log;
        }

        @Override
        public void process(Packet packet) {
            log.append(name()).append(' ');
            emit(packet);
        }
    }

    /** A source the test drives by hand. */
    static class ManualSource extends PacketStreamAdapter {
        ManualSource(String name) {
            super(name, Retention.BORROWED);
        }

        void push(Packet p) {
            emit(p);
        }
    }

    /** A source that counts starts and stops. */
    static final class StartableSource extends ManualSource implements Startable {
        final AtomicInteger starts = new AtomicInteger();
        final AtomicInteger stops = new AtomicInteger();

        StartableSource(String name) {
            super(name);
        }

        @Override
        public void start() {
            starts.incrementAndGet();
        }

        @Override
        public void stop() {
            stops.incrementAndGet();
        }
    }
}
