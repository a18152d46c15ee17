package dev.packetstream.core;

import static dev.packetstream.core.TestPackets.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class PacketQueueTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aSyncQueueOfTenThatOverflowsDropsSomeDeliversSomeAndLosesNone() throws Exception {
        AtomicInteger delivered = new AtomicInteger();
        CountDownLatch loopBusy = new CountDownLatch(1);
        try (SingleThreadEventLoop loop = new SingleThreadEventLoop("loop")) {
            // keep the loop busy so the queue fills up behind it
            loop.execute(() -> {
                try {
                    loopBusy.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            SyncPacketQueue q = new SyncPacketQueue("sync10", loop, 10);
            try (PacketStream s = new PacketStream("overflow")) {
                s.attach(q, 0);
                s.addSink("count", p -> delivered.incrementAndGet());
                s.start();
                byte[] buf = new byte[8];
                for (int i = 0; i < 500; i++) {
                    s.write(RawPacket.borrow(buf));
                }
                loopBusy.countDown();
                s.stop();
                assertThat(q.droppedCount()).isPositive();
                assertThat(delivered.get()).isPositive();
                assertThat(delivered.get() + q.droppedCount()).isEqualTo(500);
                assertThat(q.capacity()).isEqualTo(16); // 10 rounded up to a power of two
            }
        }
    }

    @Test
    void dropOldestKeepsTheNewestAndDropNewestKeepsTheOldest() throws Exception {
        assertThat(deliveredAfterOverflow(OverflowPolicy.DROP_OLDEST)).containsExactly("p6", "p7", "p8", "p9");
        assertThat(deliveredAfterOverflow(OverflowPolicy.DROP_NEWEST)).containsExactly("p0", "p1", "p2", "p3");
    }

    private static List<String> deliveredAfterOverflow(OverflowPolicy policy) throws Exception {
        List<String> out = new CopyOnWriteArrayList<>();
        CountDownLatch busy = new CountDownLatch(1);
        try (SingleThreadEventLoop loop = new SingleThreadEventLoop("loop-" + policy)) {
            loop.execute(() -> {
                try {
                    busy.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            SyncPacketQueue q = new SyncPacketQueue("q", loop, 4, policy);
            try (PacketStream s = new PacketStream("policy")) {
                s.attach(q, 0);
                s.addSink("out", p -> out.add(text(p)));
                s.start();
                for (int i = 0; i < 10; i++) {
                    s.write(TestPackets.borrowed("p" + i));
                }
                assertThat(q.droppedCount()).isEqualTo(6);
                busy.countDown();
                s.stop();
            }
        }
        return out;
    }

    @Test
    void eachQueueCopiesBeforeTheHopSoMutatingTheBorrowedBufferAfterWriteDoesNotReachTheSink() throws Exception {
        for (boolean async : new boolean[] {true, false}) {
            List<String> seen = new CopyOnWriteArrayList<>();
            CountDownLatch hold = new CountDownLatch(1);
            try (SingleThreadEventLoop loop = new SingleThreadEventLoop("clone-loop");
                 PacketStream s = new PacketStream("clone-" + async)) {
                PacketQueue q = async ? new AsyncPacketQueue("q", 8) : new SyncPacketQueue("q", loop, 8);
                s.attach(q, 0);
                s.addSink("out", p -> {
                    try {
                        hold.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    seen.add(text(p));
                });
                s.start();
                byte[] buf = "original".getBytes(StandardCharsets.UTF_8);
                s.write(RawPacket.borrow(buf));
                Arrays.fill(buf, (byte) 'X'); // the writer reuses its buffer once write returns
                hold.countDown();
                s.stop();
            }
            assertThat(seen).as(async ? "AsyncPacketQueue" : "SyncPacketQueue").containsExactly("original");
        }
    }

    @Test
    void plainAdaptersBorrowAndBothQueuesClone() {
        PacketProcessor plain = new PacketProcessor("plain") {
            @Override
            public void process(Packet p) {
                emit(p);
            }
        };
        assertThat(plain.retention()).isEqualTo(Retention.BORROWED);
        assertThat(new AsyncPacketQueue("a", 4).retention()).isEqualTo(Retention.CLONED);
        try (SingleThreadEventLoop loop = new SingleThreadEventLoop("l")) {
            assertThat(new SyncPacketQueue("s", loop, 4).retention()).isEqualTo(Retention.CLONED);
        }
    }

    @Test
    void oneSourceFeedingASyncAndAnAsyncBranchBothSeeTheOriginalBytes() throws Exception {
        List<String> syncSeen = new CopyOnWriteArrayList<>();
        List<String> asyncSeen = new CopyOnWriteArrayList<>();
        CountDownLatch hold = new CountDownLatch(1);
        try (SingleThreadEventLoop loop = new SingleThreadEventLoop("branch-loop");
             PacketStream ingress = new PacketStream("ingress");
             PacketStream syncBranch = new PacketStream("sync-branch");
             PacketStream asyncBranch = new PacketStream("async-branch")) {
            syncBranch.synchronizeOutput(loop);
            syncBranch.addSink("out", p -> {
                await(hold);
                syncSeen.add(text(p));
            });
            asyncBranch.attach(new AsyncPacketQueue("detect-q", 8), 0);
            asyncBranch.addSink("out", p -> {
                await(hold);
                asyncSeen.add(text(p));
            });
            ingress.addSink(syncBranch);
            ingress.addSink(asyncBranch);
            syncBranch.start();
            asyncBranch.start();
            ingress.start();
            byte[] buf = "frame-1".getBytes(StandardCharsets.UTF_8);
            ingress.write(RawPacket.borrow(buf));
            Arrays.fill(buf, (byte) 0);
            hold.countDown();
            asyncBranch.stop();
            syncBranch.stop();
        }
        assertThat(syncSeen).containsExactly("frame-1");
        assertThat(asyncSeen).containsExactly("frame-1");
    }

    @Test
    void synchronizeOutputRunsTheSinksOnTheLoopThread() throws Exception {
        AtomicReference<Boolean> onLoop = new AtomicReference<>();
        try (SingleThreadEventLoop loop = new SingleThreadEventLoop("output-loop");
             PacketStream s = new PacketStream("sync-output")) {
            s.synchronizeOutput(loop);
            s.addSink("probe", p -> onLoop.set(loop.inEventLoop()));
            s.start();
            s.write(TestPackets.borrowed("x"));
            s.stop();
        }
        assertThat(onLoop.get()).isTrue();
    }

    @Test
    void branchFanOutKeepsOrderAcrossAnAsyncBoundary() throws Exception {
        List<Integer> out = new CopyOnWriteArrayList<>();
        try (PacketStream ingress = new PacketStream("ingress");
             PacketStream branch = new PacketStream("branch")) {
            branch.attach(new AsyncPacketQueue("q", 4096, OverflowPolicy.BLOCK), 0);
            branch.addSink("out", p -> out.add(((RawPacket) p).buffer().getInt(0)));
            ingress.addSink(branch);
            branch.start();
            ingress.start();
            byte[] buf = new byte[4];
            for (int i = 0; i < 2000; i++) {
                java.nio.ByteBuffer.wrap(buf).putInt(0, i);
                ingress.write(RawPacket.borrow(buf));
            }
            branch.stop();
        }
        assertThat(out).hasSize(2000);
        for (int i = 0; i < 2000; i++) {
            assertThat(out.get(i)).isEqualTo(i);
        }
    }

    @Test
    void branchesTearDownDetectThenDeliveryThenTheSharedSourceEachStoppingIndependently() throws Exception {
        AtomicInteger delivery = new AtomicInteger();
        AtomicInteger detect = new AtomicInteger();
        TestPackets.StartableSource camera = new TestPackets.StartableSource("camera");
        try (PacketStream ingress = new PacketStream("ingress");
             PacketStream deliveryBranch = new PacketStream("delivery");
             PacketStream detectBranch = new PacketStream("detect")) {
            ingress.attachSource(camera, AttachOption.SYNC_STATE);
            deliveryBranch.addSink("send", p -> delivery.incrementAndGet());
            detectBranch.attach(new AsyncPacketQueue("detect-q", 4), 0);
            detectBranch.addSink("detector", p -> detect.incrementAndGet());
            ingress.addSink(deliveryBranch);
            ingress.addSink(detectBranch);
            deliveryBranch.start();
            detectBranch.start();
            ingress.start();
            camera.push(TestPackets.borrowed("f1"));
            Awaitility.await().atMost(WAIT).until(() -> detect.get() == 1);

            detectBranch.stop();
            camera.push(TestPackets.borrowed("f2"));
            assertThat(delivery).hasValue(2);
            assertThat(detect).hasValue(1);
            assertThat(detectBranch.stats().droppedInactive()).isEqualTo(1);

            deliveryBranch.stop();
            camera.push(TestPackets.borrowed("f3"));
            assertThat(delivery).hasValue(2);
            assertThat(ingress.state()).isEqualTo(StreamState.ACTIVE);
            assertThat(camera.stops).hasValue(0);

            ingress.stop();
            assertThat(camera.stops).hasValue(1);
        }
    }

    @Test
    void anIdleAsyncQueueParksItsWorkerAndUsesNoMeasurableCpu() throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        AtomicLong workerId = new AtomicLong(-1);
        try (PacketStream s = new PacketStream("idle")) {
            s.attach(new AsyncPacketQueue("idle-q", 16), 0);
            s.addSink("probe", p -> workerId.set(Thread.currentThread().getId()));
            s.start();
            s.write(TestPackets.borrowed("wake"));
            Awaitility.await().atMost(WAIT).until(() -> workerId.get() != -1);
            // after the spin phase the worker parks; measure its CPU across an idle half second
            Thread worker = findThread(workerId.get());
            Awaitility.await().atMost(WAIT).until(() -> worker.getState() == Thread.State.WAITING);
            long cpu0 = mx.getThreadCpuTime(workerId.get());
            CountDownLatch idle = new CountDownLatch(1);
            assertThat(idle.await(500, TimeUnit.MILLISECONDS)).isFalse();
            long cpuMs = (mx.getThreadCpuTime(workerId.get()) - cpu0) / 1_000_000;
            assertThat(cpuMs).as("worker CPU while idle, ms").isLessThan(5);
        }
    }

    private static Thread findThread(long id) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getId() == id) {
                return t;
            }
        }
        throw new AssertionError("no thread " + id);
    }

    @Test
    void fourProducersTimesOneMillionPacketsThroughABlockingAsyncQueueArriveExactlyOnceInProducerOrder()
            throws Exception {
        int producers = 4;
        int perProducer = 1_000_000;
        int[] next = new int[producers];
        AtomicInteger violations = new AtomicInteger();
        AtomicLong delivered = new AtomicLong();
        AsyncPacketQueue q = new AsyncPacketQueue("mpsc", 1024, OverflowPolicy.BLOCK);
        try (PacketStream s = new PacketStream("four-producers")) {
            s.attach(q, 0);
            s.addSink("check", p -> {
                Seq seq = (Seq) p;
                if (next[seq.producer] != seq.n) {
                    violations.incrementAndGet();
                }
                next[seq.producer] = seq.n + 1;
                delivered.incrementAndGet();
            });
            s.start();
            Thread[] threads = new Thread[producers];
            for (int t = 0; t < producers; t++) {
                int id = t;
                threads[t] = new Thread(() -> {
                    for (int i = 0; i < perProducer; i++) {
                        s.write(new Seq(id, i));
                    }
                });
                threads[t].start();
            }
            for (Thread t : threads) {
                t.join(120_000);
                assertThat(t.isAlive()).isFalse();
            }
            s.stop();
        }
        assertThat(q.droppedCount()).isZero();
        assertThat(delivered.get()).isEqualTo((long) producers * perProducer);
        assertThat(violations).hasValue(0);
        for (int n : next) {
            assertThat(n).isEqualTo(perProducer);
        }
    }

    /** An owned packet carrying a producer id and a sequence number. */
    static final class Seq extends Packet {
        final int producer;
        final int n;

        Seq(int producer, int n) {
            super(0);
            this.producer = producer;
            this.n = n;
        }

        @Override
        public int size() {
            return 8;
        }

        @Override
        public Packet copy() {
            return new Seq(producer, n);
        }
    }

    private static void await(CountDownLatch l) {
        try {
            l.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
