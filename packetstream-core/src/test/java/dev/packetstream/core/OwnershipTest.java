package dev.packetstream.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.packetstream.core.TestPackets.Counted;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class OwnershipTest {

    /** A stage that declares BORROWED but keeps the packet for later. */
    static final class Keeper extends PacketProcessor {
        Packet kept;

        Keeper() {
            super("keeper");
        }

        @Override
        public void process(Packet p) {
            kept = p;
            emit(p);
        }
    }

    @Test
    void checkedModeCatchesAStageThatKeepsABorrowedPacketPastItsCallAndNamesIt() {
        Keeper keeper = new Keeper();
        try (PacketStream s = new PacketStream("checked")) {
            s.attach(keeper, 1);
            s.start();
            s.write(TestPackets.borrowed("reused-buffer"));
        }
        assertThatThrownBy(() -> ((RawPacket) keeper.kept).toByteArray())
                .isInstanceOf(PacketExpiredException.class)
                .hasMessageContaining("stage 'keeper' of stream 'checked'")
                .hasMessageContaining("copy()")
                .hasMessageContaining("AsyncPacketQueue")
                .satisfies(e -> assertThat(((PacketExpiredException) e).stage()).isEqualTo("keeper"));
    }

    @Test
    void aSinkThatKeepsABorrowedPacketIsCaughtToo() {
        List<Packet> kept = new ArrayList<>();
        try (PacketStream s = new PacketStream("sink-keeps")) {
            s.addSink("hoarder", kept::add);
            s.start();
            s.write(TestPackets.borrowed("x"));
        }
        assertThatThrownBy(() -> kept.get(0).size()).isInstanceOf(PacketExpiredException.class)
                .hasMessageContaining("'hoarder'");
    }

    @Test
    void aStageThatCopiesInsideItsCallKeepsAValidPacketAndTheWriterKeepsItsOwn() {
        List<Packet> copies = new ArrayList<>();
        RawPacket original = TestPackets.borrowed("mine");
        try (PacketStream s = new PacketStream("copies")) {
            s.addSink("copier", p -> copies.add(p.copy()));
            s.start();
            s.write(original);
        }
        assertThat(TestPackets.text(copies.get(0))).isEqualTo("mine");
        assertThat(copies.get(0).isBorrowed()).isFalse();
        assertThat(TestPackets.text(original)).isEqualTo("mine"); // the lender's own packet never expires
    }

    @Test
    void aStageDeclaredBorrowedMayNotRetainAReferenceCountedPacket() {
        AtomicReference<StageException> error = new AtomicReference<>();
        AtomicInteger freed = new AtomicInteger();
        PacketStream s = new PacketStream("wrong-retention").closeOnError(false);
        s.attach(new PacketProcessor("sneaky") {
            @Override
            public void process(Packet p) {
                p.retain();
            }
        }, 1);
        s.addErrorListener(error::set);
        s.start();
        Counted c = new Counted(1, freed);
        s.write(c);
        c.release();
        s.close();
        assertThat(error.get().stage()).isEqualTo("sneaky");
        assertThat(error.get()).hasRootCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("declares Retention.BORROWED but retained");
        assertThat(freed).hasValue(1);
    }

    @Test
    void aQueueRetainsAReferenceCountedPacketAndReleasesItAfterDelivery() {
        AtomicInteger freed = new AtomicInteger();
        List<Integer> refCountsAtSink = new CopyOnWriteArrayList<>();
        List<Integer> ids = new CopyOnWriteArrayList<>();
        try (PacketStream s = new PacketStream("retained")) {
            s.attach(new AsyncPacketQueue("q", 16), 0);
            s.addSink("sink", p -> {
                refCountsAtSink.add(p.refCnt());
                ids.add(((Counted) p).id());
            });
            s.start();
            for (int i = 0; i < 5; i++) {
                Counted c = new Counted(i, freed);
                s.write(c);
                c.release(); // the writer gives up its reference once write returns
            }
            s.stop();
        }
        assertThat(ids).containsExactly(0, 1, 2, 3, 4);
        assertThat(refCountsAtSink).allMatch(n -> n >= 1);
        assertThat(freed).hasValue(5);
    }

    @Test
    void usingAReferenceCountedPacketAfterItsLastReleaseThrowsInsteadOfTouchingFreedMemory() {
        AtomicInteger freed = new AtomicInteger();
        Counted c = new Counted(7, freed);
        assertThat(c.release()).isTrue();
        assertThat(freed).hasValue(1);
        assertThatThrownBy(c::id).isInstanceOf(IllegalReferenceCountException.class).hasMessageContaining("refCnt 0");
        assertThatThrownBy(c::release).isInstanceOf(IllegalReferenceCountException.class);
        assertThatThrownBy(c::retain).isInstanceOf(IllegalReferenceCountException.class);
    }

    @Test
    void theLeakDetectorReportsAnUnreleasedPacketWithTheStagesThatTouchedIt() {
        LeakDetector detector = new LeakDetector();
        List<LeakReport> reports = new CopyOnWriteArrayList<>();
        detector.addListener(reports::add);
        AtomicInteger freed = new AtomicInteger();
        try (PacketStream s = new PacketStream("leaky")) {
            s.attach(new PacketProcessor("forgetful", Retention.RETAINED) {
                @Override
                public void process(Packet p) {
                    p.retain(); // and never releases
                }
            }, 1);
            s.start();
            writeAndRelease(s, new Counted(1, freed, detector));
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            System.gc();
            detector.poll();
            return !reports.isEmpty();
        });
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).lastTouches()).anyMatch(t -> t.contains("leaky/forgetful"));
        assertThat(reports.get(0).toString()).contains("without its last release()");
        assertThat(freed).as("a leak report frees the storage").hasValue(1);
        assertThat(detector.leakCount()).isEqualTo(1);
    }

    /** In a method of its own, so that no stack slot of the test keeps the packet reachable. */
    private static void writeAndRelease(PacketStream s, Packet p) {
        s.write(p);
        p.release();
    }

    @Test
    void aReleasedPacketIsNotReportedAsALeak() {
        LeakDetector detector = new LeakDetector();
        AtomicInteger freed = new AtomicInteger();
        Counted c = new Counted(1, freed, detector);
        assertThat(detector.liveCount()).isEqualTo(1);
        c.release();
        assertThat(detector.liveCount()).isZero();
        System.gc();
        assertThat(detector.poll()).isZero();
    }
}
