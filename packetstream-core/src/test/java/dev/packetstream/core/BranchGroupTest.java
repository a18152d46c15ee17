package dev.packetstream.core;

import static dev.packetstream.core.TestPackets.borrowed;
import static dev.packetstream.core.TestPackets.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class BranchGroupTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void branchesJoinAndLeaveWhileTheStreamRunsAndEachGetsWhatWasWrittenWhileItWasThere() {
        List<String> a = new CopyOnWriteArrayList<>();
        List<String> b = new CopyOnWriteArrayList<>();
        List<String> after = new CopyOnWriteArrayList<>();
        AtomicInteger removedActions = new AtomicInteger();
        BranchGroup group = new BranchGroup("viewers");
        try (PacketStream s = new PacketStream("live")) {
            s.attach(group, 10);
            s.addSink("after", p -> after.add(text(p)));
            s.start();
            s.write(borrowed("p0"));
            group.branch("a", p -> a.add(text(p))).onRemoved(removedActions::incrementAndGet).add();
            s.write(borrowed("p1"));
            group.add("b", p -> b.add(text(p)));
            s.write(borrowed("p2"));
            assertThat(group.remove("a")).isTrue();
            assertThat(group.remove("a")).isFalse();
            s.write(borrowed("p3"));
            assertThat(s.isActive()).isTrue();
            assertThat(group.branches()).extracting(Branch::name).containsExactly("b");
        }
        assertThat(a).containsExactly("p1", "p2");
        assertThat(b).containsExactly("p2", "p3");
        assertThat(after).as("the group passes every packet on").containsExactly("p0", "p1", "p2", "p3");
        assertThat(removedActions.get()).isEqualTo(1);
    }

    @Test
    void aBranchThatThrowsIsRemovedAndReportedWhileTheOthersAndTheStreamGoOn() {
        List<String> good = new CopyOnWriteArrayList<>();
        List<StageException> failures = new CopyOnWriteArrayList<>();
        AtomicInteger closedBad = new AtomicInteger();
        BranchGroup group = new BranchGroup("viewers").addFailureListener(failures::add);
        try (PacketStream s = new PacketStream("isolated")) {
            s.attach(group, 0);
            s.start();
            group.branch("bad", p -> {
                if (text(p).equals("p1")) {
                    throw new IllegalStateException("viewer went away");
                }
            }).onRemoved(closedBad::incrementAndGet).add();
            group.add("good", p -> good.add(text(p)));
            for (int i = 0; i < 4; i++) {
                s.write(borrowed("p" + i));
            }
            assertThat(s.state()).isEqualTo(StreamState.ACTIVE);
            assertThat(s.error()).isNull();
            assertThat(group.branches()).extracting(Branch::name).containsExactly("good");
            StreamStats st = s.stats();
            assertThat(st.stage("viewers/(left)").errors()).isEqualTo(1);
            assertThat(st.stage("viewers/(left)").in()).isEqualTo(2);
            assertThat(st.stage("viewers/(left)").out()).isEqualTo(1);
        }
        assertThat(good).containsExactly("p0", "p1", "p2", "p3");
        assertThat(failures).singleElement().satisfies(e -> {
            assertThat(e.stage()).isEqualTo("viewers/bad");
            assertThat(e.stream()).isEqualTo("isolated");
            assertThat(e).hasMessageContaining("viewer went away");
        });
        assertThat(closedBad.get()).isEqualTo(1);
    }

    @Test
    void aSlowQueuedBranchDropsByItsOwnPolicyWithoutStallingAFastOne() throws Exception {
        List<String> fast = new CopyOnWriteArrayList<>();
        List<String> slow = new CopyOnWriteArrayList<>();
        CountDownLatch slowBlocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        BranchGroup group = new BranchGroup("fanout");
        try (PacketStream s = new PacketStream("slow-viewer")) {
            s.attach(group, 0);
            group.add("fast", p -> fast.add(text(p)));
            Branch slowBranch = group.branch("slow", p -> {
                slowBlocked.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                slow.add(text(p));
            }).queue(4, OverflowPolicy.DROP_OLDEST).add();
            s.start();
            s.write(borrowed("p0"));
            assertThat(slowBlocked.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 1; i < 10; i++) {
                s.write(borrowed("p" + i)); // returns at once: the slow branch's worker is stuck
            }
            assertThat(fast).hasSize(10);
            assertThat(slowBranch.dropped(DiscardReason.OVERFLOW)).isEqualTo(5);
            StageStats row = s.stats().stage("fanout/slow");
            assertThat(row.kind()).isEqualTo(StageKind.BRANCH);
            assertThat(row.in()).isEqualTo(10);
            assertThat(row.queueDepth()).isEqualTo(4);
            assertThat(row.discarded(DiscardReason.OVERFLOW)).isEqualTo(5);
            assertThat(s.describe()).contains("branch").contains("'fanout/slow'").contains("overflow=5");
            release.countDown();
            Awaitility.await().atMost(WAIT).until(() -> slow.size() == 5);
        }
        assertThat(slow).containsExactly("p0", "p6", "p7", "p8", "p9");
    }

    @Test
    void aSlowEncodedVideoBranchWithADropToKeyframeQueueResumesAtTheNextKeyframeWhileAFastOneGetsEverything()
            throws Exception {
        List<String> fast = new CopyOnWriteArrayList<>();
        List<String> slow = new CopyOnWriteArrayList<>();
        CountDownLatch slowBlocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger keyframeRequests = new AtomicInteger();
        BranchGroup relay = new BranchGroup("relay");
        try (PacketStream s = new PacketStream("encoded-relay")) {
            s.attach(relay, 0);
            relay.add("fast", p -> fast.add(label(p)));
            Branch slowViewer = relay.branch("slow", p -> {
                slowBlocked.countDown();
                await(release);
                slow.add(label(p));
            }).queue(4, OverflowPolicy.DROP_TO_KEYFRAME).onKeyframeNeeded(keyframeRequests::incrementAndGet).add();
            s.start();
            s.write(DiscardTest.video(0, true));
            assertThat(slowBlocked.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 1; i <= 9; i++) {
                s.write(DiscardTest.video(i, i == 7)); // 1..4 fill the queue, 5 overflows; 7 is a keyframe
            }
            release.countDown();
            Awaitility.await().atMost(WAIT).until(() -> slow.size() == 4);
            assertThat(slowViewer.dropped(DiscardReason.OVERFLOW)).isEqualTo(4);
            assertThat(slowViewer.dropped(DiscardReason.WAITING_FOR_KEYFRAME)).isEqualTo(2);
            assertThat(keyframeRequests.get()).as("one request when the wait began").isEqualTo(1);
        }
        assertThat(fast).hasSize(10);
        assertThat(slow).as("what the slow viewer can decode").containsExactly("v0K", "v7K", "v8", "v9");
    }

    private static String label(Packet p) {
        dev.packetstream.core.media.EncodedVideoPacket v = (dev.packetstream.core.media.EncodedVideoPacket) p;
        return "v" + v.ptsUs() + (v.isKeyframe() ? "K" : "");
    }

    @Test
    void aQueuedBranchRemovedWhileItHoldsPacketsDiscardsThemAsClosedAndReleasesThem() throws Exception {
        AtomicInteger freed = new AtomicInteger();
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> discarded = new CopyOnWriteArrayList<>();
        BranchGroup group = new BranchGroup("g");
        try (PacketStream s = new PacketStream("removal")) {
            s.attach(group, 0);
            s.addDiscardListener((stage, p, reason) -> discarded.add(stage + ":" + reason));
            s.start();
            Branch b = group.branch("held", p -> {
                blocked.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }).queue(8, OverflowPolicy.DROP_OLDEST).add();
            for (int i = 0; i < 3; i++) {
                TestPackets.Counted c = new TestPackets.Counted(i, freed);
                s.write(c);
                c.release();
            }
            assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(b.remove()).isTrue();
            assertThat(discarded).containsExactly("g/held:CLOSED", "g/held:CLOSED");
            release.countDown();
            Awaitility.await().atMost(WAIT).until(() -> freed.get() == 3);
            TestPackets.Counted late = new TestPackets.Counted(9, freed);
            b.offer(late); // a writer that still had the old branch list in hand
            late.release();
            assertThat(b.dropped(DiscardReason.CLOSED)).isEqualTo(3);
        }
    }

    @Test
    void twoQueuedBranchesHoldingTheSameReferenceCountedPacketEachKeepItValidWhateverTheOtherReleases()
            throws Exception {
        AtomicInteger freed = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> slowSaw = new CopyOnWriteArrayList<>();
        List<StageException> failures = new CopyOnWriteArrayList<>();
        BranchGroup group = new BranchGroup("pair").addFailureListener(failures::add);
        TestPackets.Counted packet = new TestPackets.Counted(7, freed);
        try (PacketStream s = new PacketStream("shared-packet")) {
            s.attach(group, 0);
            group.branch("fast", p -> ((TestPackets.Counted) p).id()).queue(4, OverflowPolicy.DROP_OLDEST).add();
            group.branch("slow", p -> {
                await(release);
                slowSaw.add(((TestPackets.Counted) p).id()); // touched after the write returned
            }).queue(4, OverflowPolicy.DROP_OLDEST).add();
            s.attach(new PacketProcessor("after-fast-released") {
                @Override
                public void process(Packet p) {
                    // the fast branch has delivered and given back its reference before the write returns
                    Awaitility.await().atMost(WAIT).until(() -> packet.refCnt() == 2);
                }
            }, 1);
            s.start();
            s.write(packet);
            packet.release();
            release.countDown();
            Awaitility.await().atMost(WAIT).until(() -> freed.get() == 1);
        }
        assertThat(failures).isEmpty();
        assertThat(slowSaw).containsExactly(7);
    }

    @Test
    void inCheckedModeABranchSinkThatKeepsALentPacketIsNamedAndOnlyThatBranchIsRemoved() {
        List<Packet> kept = new CopyOnWriteArrayList<>();
        List<StageException> failures = new CopyOnWriteArrayList<>();
        List<String> other = new CopyOnWriteArrayList<>();
        BranchGroup group = new BranchGroup("viewers").addFailureListener(failures::add);
        try (PacketStream s = new PacketStream("keepers")) {
            s.attach(group, 0);
            group.add("keeper", p -> {
                kept.add(p);
                if (kept.size() == 2) {
                    text(kept.get(0)); // touches the first packet after its call returned
                }
            });
            group.add("polite", p -> other.add(text(p)));
            s.start();
            s.write(borrowed("p0"));
            s.write(borrowed("p1"));
            s.write(borrowed("p2"));
            assertThat(s.isActive()).isTrue();
        }
        assertThat(failures).singleElement().satisfies(e -> {
            assertThat(e.stage()).isEqualTo("viewers/keeper");
            assertThat(e.getCause()).isInstanceOf(PacketExpiredException.class)
                    .hasMessageContaining("stage 'viewers/keeper' of stream 'keepers' kept a borrowed packet");
        });
        assertThat(other).containsExactly("p0", "p1", "p2");
    }

    @Test
    void branchNamesAreUniqueAndAClosedGroupRefusesNewBranchesAndRemovesItsOwn() {
        AtomicInteger removed = new AtomicInteger();
        BranchGroup group = new BranchGroup("g");
        group.branch("x", p -> { }).onRemoved(removed::incrementAndGet).add();
        assertThatThrownBy(() -> group.add("x", p -> { })).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already has a branch named 'x'");
        try (PacketStream s = new PacketStream("closing")) {
            s.attach(group, 0);
            s.start();
        }
        assertThat(removed.get()).isEqualTo(1);
        assertThat(group.size()).isZero();
        assertThatThrownBy(() -> group.add("y", p -> { })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void writersOnSeveralThreadsWhileBranchesComeAndGoLoseNothingTheStayingBranchShouldGet() throws Exception {
        AtomicInteger staying = new AtomicInteger();
        BranchGroup group = new BranchGroup("churn");
        try (PacketStream s = new PacketStream("churn")) {
            s.attach(group, 0);
            group.branch("staying", p -> staying.incrementAndGet()).queue(1 << 16, OverflowPolicy.BLOCK).add();
            s.start();
            CountDownLatch go = new CountDownLatch(1);
            Thread[] writers = new Thread[2];
            for (int w = 0; w < writers.length; w++) {
                writers[w] = new Thread(() -> {
                    await(go);
                    for (int i = 0; i < 20_000; i++) {
                        s.write(borrowed("x"));
                    }
                });
                writers[w].start();
            }
            go.countDown();
            for (int i = 0; i < 200; i++) {
                group.branch("guest-" + i, p -> { }).queue(4, OverflowPolicy.DROP_OLDEST).add();
                group.remove("guest-" + i);
            }
            for (Thread t : writers) {
                t.join(WAIT.toMillis());
            }
            Awaitility.await().atMost(WAIT).until(() -> staying.get() == 40_000);
            assertThat(group.size()).isEqualTo(1);
        }
    }

    private static void await(CountDownLatch l) {
        try {
            l.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
