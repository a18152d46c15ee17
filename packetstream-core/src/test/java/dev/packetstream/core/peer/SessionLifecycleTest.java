package dev.packetstream.core.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SessionLifecycleTest {
    enum State {
        NEW, CONNECTING, CONNECTED, DISCONNECTED, FAILED, CLOSED
    }

    /** A module's exception. */
    static final class ModuleException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ModuleException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final SessionLifecycle<State> lifecycle = new SessionLifecycle<>("s1", State.class, ModuleException::new);
    private final SessionEventThread events = new SessionEventThread("test-s1-events", "s1", lifecycle::reportError);
    private final List<String> heard = new CopyOnWriteArrayList<>();

    @AfterEach
    void shutDown() throws InterruptedException {
        events.shutdownNow();
        events.awaitTermination(Duration.ofSeconds(5));
    }

    @Test
    void aSessionWithoutANameIsRefused() {
        assertThatThrownBy(() -> new SessionLifecycle<>(" ", State.class, ModuleException::new))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a name");
    }

    @Test
    void connectedCompletesOnTheFirstConnectedAndListenersHearEachChangeOnceEvenIfOneThrows() {
        lifecycle.addStateListener(s -> {
            throw new IllegalStateException("a broken listener");
        });
        lifecycle.addStateListener(s -> heard.add(s.name()));
        assertThat(lifecycle.connectionChanged(State.CONNECTING, "advice")).isTrue();
        assertThat(lifecycle.connectionChanged(State.CONNECTING, "advice")).isFalse();
        assertThat(lifecycle.connected()).isNotDone();
        assertThat(lifecycle.connectionChanged(State.CONNECTED, "advice", () -> heard.add("before connected"))).isTrue();
        assertThat(lifecycle.connected()).isCompleted();
        assertThat(heard).containsExactly("CONNECTING", "before connected", "CONNECTED");
        assertThat(lifecycle.state()).isEqualTo(State.CONNECTED);
    }

    @Test
    void iceFailureFailsConnectedWithTheModulesExceptionAndItsAdvice() {
        lifecycle.connectionChanged(State.FAILED, "check the ICE servers");
        assertThatThrownBy(() -> lifecycle.connected().get(5, TimeUnit.SECONDS)).cause()
                .isInstanceOf(ModuleException.class).hasMessage("session 's1': ICE failed; check the ICE servers");
    }

    @Test
    void errorsAreUnwrappedForTheListenersAndDroppedOnceClosedWhenTheyCameFromTheSignaller() {
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        lifecycle.addErrorListener(e -> {
            throw new IllegalStateException("a broken listener");
        });
        lifecycle.addErrorListener(errors::add);
        IllegalArgumentException cause = new IllegalArgumentException("bad offer");
        lifecycle.reportUnlessClosed(new java.util.concurrent.CompletionException(cause));
        lifecycle.reportUnlessClosed(null);
        lifecycle.beginClose();
        lifecycle.reportUnlessClosed(new IllegalArgumentException("after close"));
        assertThat(errors).containsExactly(cause);
    }

    @Test
    void closeRunsTheTearDownOnceAsTheLastTaskThenRefusesWork() throws Exception {
        lifecycle.addStateListener(s -> heard.add(s.name()));
        List<String> tornDown = new CopyOnWriteArrayList<>();
        assertThat(lifecycle.beginClose()).isTrue();
        assertThat(lifecycle.beginClose()).isFalse();
        CompletableFuture<Void> closing = lifecycle.closeOn(events, () -> {
            tornDown.add(Thread.currentThread().getName());
            lifecycle.closed(lifecycle.gone());
        });
        lifecycle.awaitClose(closing, events);
        assertThat(lifecycle.closedFuture()).isCompleted();
        assertThat(tornDown).containsExactly("test-s1-events");
        assertThat(heard).containsExactly("CLOSED");
        assertThat(lifecycle.connectionChanged(State.CONNECTED, "advice")).isFalse();
        assertThatThrownBy(() -> lifecycle.connected().get(5, TimeUnit.SECONDS)).cause().hasMessage("session 's1' closed");
        assertThatThrownBy(() -> lifecycle.requireOpen("add sender 'cam'")).isInstanceOf(IllegalStateException.class)
                .hasMessage("session 's1' is closed: cannot add sender 'cam'; create a new session");
        assertThat(lifecycle.closeOn(events, () -> tornDown.add("again"))).isCompleted();
        assertThat(tornDown).hasSize(1);
    }

    @Test
    void aTearDownThatThrowsFailsTheCloseWithTheModulesException() {
        lifecycle.beginClose();
        CompletableFuture<Void> closing = lifecycle.closeOn(events, () -> {
            throw new IllegalStateException("pipeline stuck");
        });
        assertThatThrownBy(() -> lifecycle.awaitClose(closing, events)).isInstanceOf(ModuleException.class)
                .hasMessageContaining("session 's1': closing failed").hasRootCauseMessage("pipeline stuck");
        assertThat(closing).isCompletedExceptionally();
        assertThatThrownBy(() -> closing.get()).isInstanceOf(ExecutionException.class);
    }
}
