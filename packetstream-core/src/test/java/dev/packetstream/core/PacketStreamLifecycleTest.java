package dev.packetstream.core;

import static dev.packetstream.core.TestPackets.borrowed;
import static dev.packetstream.core.TestPackets.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.packetstream.core.TestPackets.StartableSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PacketStreamLifecycleTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void statesFollowTheSeedsTransitionsAndListenersSeeEachOne() {
        List<String> seen = new CopyOnWriteArrayList<>();
        PacketStream s = new PacketStream("states");
        s.addStateListener((st, from, to) -> seen.add(from + ">" + to));
        assertThat(s.state()).isEqualTo(StreamState.NONE);
        s.start();
        s.pause();
        s.resume();
        s.stop();
        s.start();
        s.close();
        s.close(); // idempotent
        assertThat(seen).containsExactly("NONE>ACTIVE", "ACTIVE>PAUSED", "PAUSED>ACTIVE", "ACTIVE>STOPPING",
                "STOPPING>STOPPED", "STOPPED>ACTIVE", "ACTIVE>STOPPING", "STOPPING>STOPPED", "STOPPED>CLOSED");
    }

    @Test
    void transitionsTheSeedDoesNotAllowThrowWithTheCurrentState() {
        PacketStream s = new PacketStream("bad-transitions");
        assertThatThrownBy(s::pause).isInstanceOf(IllegalStateException.class).hasMessageContaining("NONE");
        assertThatThrownBy(s::resume).isInstanceOf(IllegalStateException.class);
        s.close();
        assertThatThrownBy(s::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("build a new one");
    }

    @Test
    void aPausedStreamDropsAndCountsWritesUntilResumed() {
        List<String> out = new CopyOnWriteArrayList<>();
        try (PacketStream s = new PacketStream("pause")) {
            s.addSink("out", p -> out.add(text(p)));
            s.start();
            s.pause();
            s.write(borrowed("dropped"));
            s.resume();
            s.write(borrowed("kept"));
            assertThat(s.stats().droppedInactive()).isEqualTo(1);
        }
        assertThat(out).containsExactly("kept");
    }

    @Test
    void syncStateStartsAndStopsTheSourceWithTheStream() {
        StartableSource synced = new StartableSource("synced");
        StartableSource free = new StartableSource("free");
        try (PacketStream s = new PacketStream("sync-state")) {
            s.attachSource(synced, AttachOption.SYNC_STATE);
            s.attachSource(free);
            s.start();
            assertThat(synced.starts).hasValue(1);
            s.stop();
            assertThat(synced.stops).hasValue(1);
            s.start();
        }
        assertThat(synced.starts).hasValue(2);
        assertThat(synced.stops).hasValue(2);
        assertThat(free.starts).hasValue(0);
        assertThat(free.stops).hasValue(0);
    }

    @Test
    void aFinalPacketStopsTheStreamAfterItHasPassedThrough() {
        List<String> out = new CopyOnWriteArrayList<>();
        StartableSource src = new StartableSource("src");
        try (PacketStream s = new PacketStream("final")) {
            s.attachSource(src, AttachOption.SYNC_STATE);
            s.addSink("out", p -> out.add(p.isFinal() ? "FINAL" : text(p)));
            s.start();
            src.push(borrowed("a"));
            src.push(FlagPacket.FINAL);
            assertThat(s.state()).isEqualTo(StreamState.STOPPED);
            src.push(borrowed("after"));
            assertThat(src.stops).hasValue(1);
        }
        assertThat(out).containsExactly("a", "FINAL");
    }

    @Test
    void aFinalPacketThroughAnAsyncQueueStopsTheStreamFromTheWorker() throws Exception {
        List<String> out = new CopyOnWriteArrayList<>();
        try (PacketStream s = new PacketStream("final-async")) {
            s.attach(new AsyncPacketQueue("q", 16), 0);
            s.addSink("out", p -> out.add(p.isFinal() ? "FINAL" : text(p)));
            s.start();
            s.write(borrowed("a"));
            s.write(FlagPacket.FINAL);
            assertThat(s.awaitState(StreamState.STOPPED, WAIT)).isTrue();
        }
        assertThat(out).containsExactly("a", "FINAL");
    }

    /** An encoder-like processor: holds one packet back and emits it when flushed. */
    static final class HoldsLast extends PacketProcessor {
        private Packet held;

        HoldsLast() {
            super("holds-last", Retention.CLONED);
        }

        @Override
        public void process(Packet p) {
            if (held != null) {
                emit(held);
            }
            held = p.copy();
        }

        @Override
        protected void onStop() {
            if (held != null) {
                emit(held);
                held = null;
            }
            emit(RawPacket.copyOf("trailer".getBytes()));
        }
    }

    @Test
    void anOrderlyStopDrainsQueuesAndFlushesProcessorsAndTheirOutputReachesTheSinks() {
        List<String> out = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        try (PacketStream s = new PacketStream("orderly")) {
            s.attach(new AsyncPacketQueue("q", 64), 0);
            s.attach(new PacketProcessor("slowish") {
                @Override
                public void process(Packet p) {
                    try {
                        release.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    emit(p);
                }
            }, 5);
            s.attach(new HoldsLast(), 10);
            s.addSink("out", p -> out.add(text(p)));
            s.start();
            for (int i = 0; i < 10; i++) {
                s.write(borrowed("p" + i));
            }
            release.countDown();
            s.stop();
            assertThat(s.state()).isEqualTo(StreamState.STOPPED);
        }
        assertThat(out).containsExactly("p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9", "trailer");
    }

    @Test
    void aProcessorExceptionMovesTheStreamToErrorNamesTheStageAndClosesIt() throws Exception {
        AtomicReference<StageException> error = new AtomicReference<>();
        PacketStream s = new PacketStream("failing");
        s.attach(new PacketProcessor("exploder") {
            @Override
            public void process(Packet p) {
                throw new IllegalArgumentException("bad packet");
            }
        }, 1);
        s.addErrorListener(error::set);
        s.start();
        s.write(borrowed("x"));
        assertThat(error.get()).isNotNull();
        assertThat(error.get().stage()).isEqualTo("exploder");
        assertThat(error.get().stream()).isEqualTo("failing");
        assertThat(error.get()).hasMessageContaining("exploder").hasRootCauseMessage("bad packet");
        assertThat(s.awaitState(StreamState.CLOSED, WAIT) || s.state() == StreamState.CLOSED).isTrue();
        assertThat(s.stats().stage("exploder").errors()).isEqualTo(1);
    }

    @Test
    void anExceptionOnAQueueWorkerThreadAlsoReachesErrorListenersWithTheStageName() throws Exception {
        AtomicReference<StageException> error = new AtomicReference<>();
        AtomicReference<String> thread = new AtomicReference<>();
        CountDownLatch failed = new CountDownLatch(1);
        PacketStream s = new PacketStream("worker-failure");
        s.attach(new AsyncPacketQueue("q", 8), 0);
        s.attach(new PacketProcessor("worker-side") {
            @Override
            public void process(Packet p) {
                throw new IllegalStateException("boom on worker");
            }
        }, 1);
        s.addErrorListener(e -> {
            error.set(e);
            thread.set(Thread.currentThread().getName());
            failed.countDown();
        });
        s.start();
        s.write(borrowed("x"));
        assertThat(failed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(error.get().stage()).isEqualTo("worker-side");
        assertThat(thread.get()).contains("queue-q");
        s.awaitState(StreamState.CLOSED, WAIT);
        assertThat(s.state()).isEqualTo(StreamState.CLOSED);
    }

    /** A source whose input breaks while no call of the stream is running. */
    static final class BreakingSource extends PacketStreamAdapter {
        BreakingSource(String name) {
            super(name, Retention.BORROWED);
        }

        void breakDown(Exception cause) {
            fail(cause);
        }
    }

    @Test
    void aSourceThatFailsOutsideAnyCallReachesTheErrorListenersWithItsName() throws Exception {
        AtomicReference<StageException> error = new AtomicReference<>();
        BreakingSource src = new BreakingSource("broken-input");
        PacketStream s = new PacketStream("source-failure");
        s.attachSource(src);
        s.addErrorListener(error::set);
        s.start();
        src.breakDown(new java.io.IOException("input ended part-way"));
        assertThat(error.get().stage()).isEqualTo("broken-input");
        assertThat(error.get()).hasRootCauseMessage("input ended part-way");
        assertThat(s.awaitState(StreamState.CLOSED, WAIT) || s.state() == StreamState.CLOSED).isTrue();
    }

    @Test
    void withCloseOnErrorOffAFailedStreamStaysInErrorUntilClosed() throws Exception {
        PacketStream s = new PacketStream("stays-failed").closeOnError(false);
        s.attach(new PacketProcessor("exploder") {
            @Override
            public void process(Packet p) {
                throw new IllegalArgumentException("bad");
            }
        }, 1);
        s.start();
        s.write(borrowed("x"));
        assertThat(s.state()).isEqualTo(StreamState.ERROR);
        assertThat(s.awaitState(StreamState.CLOSED, Duration.ofMillis(200))).isFalse();
        s.close();
        assertThat(s.state()).isEqualTo(StreamState.CLOSED);
    }

    @Test
    void closeReturnsPromptlyWhileAWorkerIsBlockedAndItsLatePacketIsCountedNotDelivered() throws Exception {
        List<String> out = new CopyOnWriteArrayList<>();
        CountDownLatch inSlow = new CountDownLatch(1);
        CountDownLatch unblock = new CountDownLatch(1);
        PacketStream s = new PacketStream("late");
        AsyncPacketQueue q = new AsyncPacketQueue("q", 8);
        q.stopTimeout(Duration.ofMillis(100));
        s.attach(q, 0);
        s.attach(new PacketProcessor("slow") {
            @Override
            public void process(Packet p) {
                inSlow.countDown();
                try {
                    unblock.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                emit(p);
            }
        }, 1);
        s.addSink("out", p -> out.add(text(p)));
        s.start();
        s.write(borrowed("stuck"));
        s.write(borrowed("queued"));
        assertThat(inSlow.await(5, TimeUnit.SECONDS)).isTrue();

        long t0 = System.nanoTime();
        s.close();
        long closeMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(s.state()).isEqualTo(StreamState.CLOSED);
        // bounded by the queue's stop timeout (100 ms), far from the 10 s the worker is stuck for
        assertThat(closeMs).isLessThan(5_000);

        unblock.countDown();
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> s.stats().lateAfterClose() >= 1);
        s.write(borrowed("after-close"));
        assertThat(s.stats().lateAfterClose()).isEqualTo(2);
        assertThat(out).isEmpty();
        assertThat(q.droppedCount()).isEqualTo(1); // "queued" was dropped and counted at close
    }
}
