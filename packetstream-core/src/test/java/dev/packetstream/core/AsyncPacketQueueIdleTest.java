package dev.packetstream.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The worker's wait adapts its yields (system calls) to how sparse the stream is. */
class AsyncPacketQueueIdleTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aSparseStreamMakesTheWorkerParkAtOnceAndABusyOneMakesItYieldAgain() {
        AsyncPacketQueue q = new AsyncPacketQueue("idle-adapt", 64);
        AtomicInteger delivered = new AtomicInteger();
        try (PacketStream s = new PacketStream("idle-adapt")) {
            s.attach(q, 0);
            s.addSink("count", p -> delivered.incrementAndGet());
            s.start();
            assertThat(q.yieldBudget()).isEqualTo(AsyncPacketQueue.YIELDS);
            // a packet every 3 ms (a recording's pace): each wait outlasts the yields, which halve to none
            int sparse = 0;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (q.yieldBudget() > 0 && System.nanoTime() < deadline) {
                s.write(TestPackets.borrowed("sparse"));
                sparse++;
                LockSupport.parkNanos(3_000_000);
            }
            assertThat(q.yieldBudget()).as("yields left after %d sparse packets", sparse).isZero();
            // back-to-back packets: the worker's parked waits are short, so it yields again
            int busy = 0;
            deadline = System.nanoTime() + WAIT.toNanos();
            while (q.yieldBudget() == 0 && System.nanoTime() < deadline) {
                s.write(TestPackets.borrowed("busy"));
                busy++;
                if (busy % 16 == 0) {
                    Thread.onSpinWait();
                }
            }
            assertThat(q.yieldBudget()).as("yields after %d back-to-back packets", busy).isPositive();
            int written = sparse + busy;
            Awaitility.await().atMost(WAIT).until(() -> delivered.get() + q.droppedCount() == written);
        }
    }
}
