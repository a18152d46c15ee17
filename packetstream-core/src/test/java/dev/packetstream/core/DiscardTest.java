package dev.packetstream.core;

import static dev.packetstream.core.TestPackets.borrowed;
import static dev.packetstream.core.TestPackets.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.packetstream.core.TestPackets.Counted;
import dev.packetstream.core.media.EncodedAudioPacket;
import dev.packetstream.core.media.EncodedVideoPacket;
import dev.packetstream.core.media.AudioCodec;
import dev.packetstream.core.media.VideoCodec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Every drop goes through one discard path: tests assert exactly what was discarded, where and why. */
class DiscardTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** What a discard listener saw. */
    record Seen(String stage, String packet, DiscardReason reason) {
    }

    private static String describe(Packet p) {
        if (p instanceof Counted c) {
            return "#" + c.id();
        }
        if (p instanceof RawPacket) {
            return text(p);
        }
        if (p instanceof EncodedVideoPacket v) {
            return "v" + v.ptsUs() + (v.isKeyframe() ? "K" : "");
        }
        if (p instanceof EncodedAudioPacket a) {
            return "a" + a.ptsUs();
        }
        return p.toString();
    }

    private static DiscardListener into(List<Seen> seen) {
        return (stage, p, reason) -> seen.add(new Seen(stage, describe(p), reason));
    }

    private static Runnable blockUntil(CountDownLatch latch) {
        return () -> {
            try {
                latch.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    @Test
    void aFullDropOldestQueueDiscardsExactlyTheOldestAsOverflowAndReleasesTheirReferences() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        AtomicInteger freed = new AtomicInteger();
        CountDownLatch busy = new CountDownLatch(1);
        try (SingleThreadEventLoop loop = new SingleThreadEventLoop("discard-loop");
             PacketStream s = new PacketStream("overflow")) {
            loop.execute(blockUntil(busy));
            SyncPacketQueue q = new SyncPacketQueue("q", loop, 4, OverflowPolicy.DROP_OLDEST);
            s.attach(q, 0);
            s.addSink("out", p -> { });
            s.addDiscardListener(into(seen));
            s.start();
            for (int i = 0; i < 7; i++) {
                Counted c = new Counted(i, freed);
                s.write(c);
                c.release(); // the writer gives back its own reference
            }
            assertThat(seen).containsExactly(new Seen("q", "#0", DiscardReason.OVERFLOW),
                    new Seen("q", "#1", DiscardReason.OVERFLOW), new Seen("q", "#2", DiscardReason.OVERFLOW));
            assertThat(freed.get()).isEqualTo(3); // dropped ones are released by the discard
            assertThat(q.discardedCount(DiscardReason.OVERFLOW)).isEqualTo(3);
            assertThat(s.stats().stage("q").discarded()).containsExactly(java.util.Map.entry(DiscardReason.OVERFLOW, 3L));
            assertThat(s.describe()).contains("[discarded: overflow=3]");
            busy.countDown();
            s.stop();
            assertThat(freed.get()).isEqualTo(7);
        }
    }

    @Test
    void writesWhileInactiveAndAfterCloseAreDiscardedByTheStreamAsInactiveAndClosed() {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        PacketStream s = new PacketStream("states");
        s.addSink("out", p -> { });
        s.addDiscardListener(into(seen));
        s.write(borrowed("before-start"));
        s.start();
        s.write(borrowed("delivered"));
        s.pause();
        s.write(borrowed("while-paused"));
        s.close();
        s.write(borrowed("after-close"));
        assertThat(seen).containsExactly(new Seen("states", "before-start", DiscardReason.INACTIVE),
                new Seen("states", "while-paused", DiscardReason.INACTIVE),
                new Seen("states", "after-close", DiscardReason.CLOSED));
        StreamStats st = s.stats();
        assertThat(st.droppedInactive()).isEqualTo(2);
        assertThat(st.lateAfterClose()).isEqualTo(1);
        assertThat(st.discarded()).containsEntry(DiscardReason.INACTIVE, 2L).containsEntry(DiscardReason.CLOSED, 1L);
        assertThat(st.emitted()).isEqualTo(1);
    }

    @Test
    void aProcessorDiscardingALentPacketCountsItByReasonAndLeavesTheWritersReferenceAlone() {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        AtomicInteger freed = new AtomicInteger();
        try (PacketStream s = new PacketStream("lent")) {
            s.attach(new PacketProcessor("odd-filter") {
                @Override
                public void process(Packet p) {
                    if (((Counted) p).id() % 2 == 1) {
                        discard(p, DiscardReason.UNSUPPORTED);
                    } else {
                        emit(p);
                    }
                }
            }, 0);
            List<Integer> out = new CopyOnWriteArrayList<>();
            s.addSink("out", p -> out.add(((Counted) p).id()));
            s.addDiscardListener(into(seen));
            s.start();
            for (int i = 0; i < 4; i++) {
                Counted c = new Counted(i, freed);
                s.write(c);
                assertThat(c.refCnt()).as("the writer's reference survives a discard").isEqualTo(1);
                c.release();
            }
            assertThat(out).containsExactly(0, 2);
            assertThat(seen).containsExactly(new Seen("odd-filter", "#1", DiscardReason.UNSUPPORTED),
                    new Seen("odd-filter", "#3", DiscardReason.UNSUPPORTED));
            StageStats st = s.stats().stage("odd-filter");
            assertThat(st.dropped()).isEqualTo(2);
            assertThat(st.discarded(DiscardReason.UNSUPPORTED)).isEqualTo(2);
            assertThat(s.describe()).contains("'odd-filter'").contains("dropped=2").contains("unsupported=2");
        }
        assertThat(freed.get()).isEqualTo(4);
    }

    @Test
    void aQueueDiscardsWhatItStillHoldsAtCloseAsClosedAndTheLateOutputOfAStuckWorkerAsClosedByTheStream()
            throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        CountDownLatch inSink = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        PacketStream s = new PacketStream("late");
        AsyncPacketQueue q = new AsyncPacketQueue("q", 8);
        q.stopTimeout(Duration.ZERO);
        s.attach(q, 0);
        s.attach(new PacketProcessor("slow") {
            @Override
            public void process(Packet p) {
                if (text(p).equals("stuck")) {
                    inSink.countDown();
                    blockUntil(release).run();
                }
                emit(p);
            }
        }, 1);
        s.addSink("out", p -> { });
        s.addDiscardListener(into(seen));
        s.start();
        s.write(borrowed("stuck"));
        assertThat(inSink.await(10, TimeUnit.SECONDS)).isTrue();
        s.write(borrowed("queued"));
        s.close();
        release.countDown();
        Awaitility.await().atMost(WAIT).until(() -> seen.size() == 2);
        assertThat(seen).containsExactly(new Seen("q", "queued", DiscardReason.INACTIVE),
                new Seen("late", "stuck", DiscardReason.CLOSED));
    }

    @Test
    void aDropToKeyframeQueueThatOverflowsSkipsEncodedVideoUntilTheNextKeyframeAndKeepsAudio() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        List<String> out = new CopyOnWriteArrayList<>();
        CountDownLatch busy = new CountDownLatch(1);
        try (SingleThreadEventLoop loop = new SingleThreadEventLoop("k-loop");
             PacketStream s = new PacketStream("keyframes")) {
            loop.execute(blockUntil(busy));
            AtomicInteger keyframeRequests = new AtomicInteger();
            SyncPacketQueue q = new SyncPacketQueue("q", loop, 4, OverflowPolicy.DROP_TO_KEYFRAME);
            q.onKeyframeNeeded(keyframeRequests::incrementAndGet);
            s.attach(q, 0);
            s.addSink("out", p -> out.add(describe(p)));
            s.addDiscardListener(into(seen));
            s.start();
            s.write(video(0, true));
            s.write(video(1, false));
            s.write(video(2, false));
            s.write(video(3, false));   // full now
            s.write(video(4, false));   // overflows: all four go, and so does 4 (it needs 3)
            s.write(audio(5));          // audio does not wait for a keyframe
            s.write(video(6, false));   // still waiting
            s.write(video(7, true));    // decoding can start again here
            s.write(video(8, false));
            busy.countDown();
            s.stop();
            assertThat(out).containsExactly("a5", "v7K", "v8");
            assertThat(seen).containsExactly(new Seen("q", "v0K", DiscardReason.OVERFLOW),
                    new Seen("q", "v1", DiscardReason.OVERFLOW), new Seen("q", "v2", DiscardReason.OVERFLOW),
                    new Seen("q", "v3", DiscardReason.OVERFLOW), new Seen("q", "v4", DiscardReason.WAITING_FOR_KEYFRAME),
                    new Seen("q", "v6", DiscardReason.WAITING_FOR_KEYFRAME));
            assertThat(q.discardedCount(DiscardReason.OVERFLOW)).isEqualTo(4);
            assertThat(q.discardedCount(DiscardReason.WAITING_FOR_KEYFRAME)).isEqualTo(2);
            assertThat(keyframeRequests.get()).isEqualTo(1);
        }
    }

    @Test
    void aKeyframeThatOverflowsADropToKeyframeQueueIsKept() throws Exception {
        List<String> out = new CopyOnWriteArrayList<>();
        CountDownLatch busy = new CountDownLatch(1);
        try (SingleThreadEventLoop loop = new SingleThreadEventLoop("k2-loop");
             PacketStream s = new PacketStream("keyframe-kept")) {
            loop.execute(blockUntil(busy));
            AtomicInteger keyframeRequests = new AtomicInteger();
            s.attach(new SyncPacketQueue("q", loop, 2, OverflowPolicy.DROP_TO_KEYFRAME)
                    .onKeyframeNeeded(keyframeRequests::incrementAndGet), 0);
            s.addSink("out", p -> out.add(describe(p)));
            s.start();
            s.write(video(0, true));
            s.write(video(1, false));
            s.write(video(2, true));
            s.write(video(3, false));
            busy.countDown();
            s.stop();
            assertThat(out).containsExactly("v2K", "v3");
            assertThat(keyframeRequests.get()).as("a keyframe arrived with the overflow: nothing to ask for").isZero();
        }
    }

    static EncodedVideoPacket video(long pts, boolean key) {
        return EncodedVideoPacket.own(VideoCodec.VP8, new byte[] {1, 2}, key, pts, pts, 64, 48, null);
    }

    static EncodedAudioPacket audio(long pts) {
        return EncodedAudioPacket.own(AudioCodec.OPUS, new byte[] {3}, pts, 48000, 2, 960, null);
    }
}
