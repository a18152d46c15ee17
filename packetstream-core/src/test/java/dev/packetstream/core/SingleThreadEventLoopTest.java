package dev.packetstream.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SingleThreadEventLoopTest {

    @Test
    void tasksRunInSubmissionOrderOnTheLoopThreadAndATaskThatThrowsDoesNotStopTheLoop() throws Exception {
        List<Integer> ran = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        try (SingleThreadEventLoop loop = new SingleThreadEventLoop("ordered")) {
            assertThat(loop.inEventLoop()).isFalse();
            for (int i = 0; i < 100; i++) {
                int n = i;
                loop.execute(() -> {
                    if (n == 50) {
                        throw new IllegalStateException("task 50 fails on purpose");
                    }
                    ran.add(n);
                });
            }
            loop.execute(() -> {
                assertThat(loop.inEventLoop()).isTrue();
                done.countDown();
            });
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(ran).hasSize(99).isSorted();
    }

    @Test
    void aClosedLoopRejectsNewTasksAfterRunningTheOnesAlreadySubmitted() {
        List<String> ran = new CopyOnWriteArrayList<>();
        SingleThreadEventLoop loop = new SingleThreadEventLoop("closing");
        loop.execute(() -> ran.add("before close"));
        loop.close();
        assertThat(ran).containsExactly("before close");
        assertThatThrownBy(() -> loop.execute(() -> { })).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("closed");
    }
}
