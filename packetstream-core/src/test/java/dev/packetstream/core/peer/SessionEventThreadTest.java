package dev.packetstream.core.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SessionEventThreadTest {
    private final List<Throwable> reported = new CopyOnWriteArrayList<>();
    private final SessionEventThread events = new SessionEventThread("test-s1-events", "s1", reported::add,
            e -> new IllegalStateException("refused: " + e.getMessage(), e));

    @AfterEach
    void shutDown() throws InterruptedException {
        events.shutdownNow();
        events.awaitTermination(Duration.ofSeconds(5));
    }

    private void drain() throws Exception {
        CompletableFuture<Void> f = new CompletableFuture<>();
        events.execute(() -> f.complete(null), f);
        f.get(5, TimeUnit.SECONDS);
    }

    @Test
    void tasksRunOneAtATimeInTheOrderGivenOnTheNamedThread() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 50; i++) {
            int n = i;
            events.execute(() -> seen.add(n + "@" + Thread.currentThread().getName() + "@" + events.inEventLoop()));
        }
        drain();
        assertThat(seen).hasSize(50);
        for (int i = 0; i < 50; i++) {
            assertThat(seen.get(i)).isEqualTo(i + "@test-s1-events@true");
        }
        assertThat(events.inEventLoop()).isFalse();
    }

    @Test
    void aFireAndForgetTaskThatThrowsGoesToTheReporterAndLaterTasksStillRun() throws Exception {
        events.execute(() -> {
            throw new IllegalArgumentException("bad listener");
        });
        events.execute(() -> {
            throw new AssertionError("bad assertion");
        });
        drain();
        assertThat(reported).extracting(Throwable::getMessage).containsExactly("bad listener", "bad assertion");
    }

    @Test
    void aTaskWithAFutureFailsItAndAnErrorBecomesTheEnginesRefusal() throws Exception {
        CompletableFuture<Void> f1 = new CompletableFuture<>();
        events.execute(() -> {
            throw new IllegalArgumentException("malformed");
        }, f1);
        CompletableFuture<Void> f2 = new CompletableFuture<>();
        events.execute(() -> {
            throw new Error("Create session description failed");
        }, f2);
        assertThatThrownBy(() -> f1.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(IllegalArgumentException.class).hasMessage("malformed");
        assertThatThrownBy(() -> f2.get(5, TimeUnit.SECONDS)).cause()
                .isInstanceOf(IllegalStateException.class).hasMessage("refused: Create session description failed");
        assertThat(reported).isEmpty();
    }

    @Test
    void afterTheLastTaskNothingRunsAndAFutureFailsNamingTheSession() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        assertThat(events.executeLast(() -> ran.add("last"))).isTrue();
        events.awaitTermination(Duration.ofSeconds(5));
        events.execute(() -> ran.add("late"));
        CompletableFuture<Void> f = new CompletableFuture<>();
        events.execute(() -> ran.add("late with future"), f);
        assertThat(events.executeLast(() -> ran.add("second last"))).isFalse();
        assertThat(ran).containsExactly("last");
        assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).cause()
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("session 's1' is closed");
    }

    @Test
    void aDelayedTaskRunsOnTheThreadAndOneNotYetDueIsDroppedAtShutdown() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        List<Boolean> onThread = new CopyOnWriteArrayList<>();
        events.schedule(() -> {
            onThread.add(events.inEventLoop());
            ran.countDown();
        }, Duration.ofMillis(1));
        List<String> late = new CopyOnWriteArrayList<>();
        events.schedule(() -> late.add("ran"), Duration.ofHours(1));
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(onThread).containsExactly(true);
        events.executeLast(() -> { });
        events.awaitTermination(Duration.ofSeconds(5));
        assertThat(events.executor().isTerminated()).isTrue();
        assertThat(late).isEmpty();
    }
}
