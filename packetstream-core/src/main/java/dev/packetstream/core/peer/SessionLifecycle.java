package dev.packetstream.core.peer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of a peer session's facade that both kinds of session share: its name, connection
 * state and state listeners, error listeners, the {@code connected} and {@code closed} futures,
 * and the close protocol (once, as the event thread's last task, waited for at most 10 s).
 *
 * <h2>States</h2>
 * {@code S} is the session module's connection-state enum; it must have the W3C names
 * {@code CONNECTED}, {@code FAILED} and {@code CLOSED} (and starts at {@code NEW}).
 *
 * <h2>Threads</h2>
 * State changes, listener calls and the tear-down run on the session's {@link SessionEventThread};
 * the getters, {@link #requireOpen} and {@link #beginClose} are safe from any thread. A listener
 * that throws is logged and does not stop the others.
 */
public final class SessionLifecycle<S extends Enum<S>> {
    private static final Logger log = LoggerFactory.getLogger(SessionLifecycle.class);
    /** How long a blocking close waits for the tear-down. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final S connectedState;
    private final S failedState;
    private final S closedState;
    private final BiFunction<String, Throwable, ? extends RuntimeException> failure;
    private final List<Consumer<S>> stateListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Throwable>> errorListeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> closedFuture = new CompletableFuture<>();
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private volatile S state;

    /**
     * @param name    the session's name; it appears in thread names and errors
     * @param states  the module's connection-state enum
     * @param failure the module's exception, made from a message and a cause (null when none)
     * @throws IllegalArgumentException when the name is blank
     */
    public SessionLifecycle(String name, Class<S> states, BiFunction<String, Throwable, ? extends RuntimeException> failure) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a session needs a name: it appears in thread names and errors");
        }
        this.name = name;
        this.state = Enum.valueOf(states, "NEW");
        this.connectedState = Enum.valueOf(states, "CONNECTED");
        this.failedState = Enum.valueOf(states, "FAILED");
        this.closedState = Enum.valueOf(states, "CLOSED");
        this.failure = failure;
    }

    public String name() {
        return name;
    }

    /** The last connection state seen. */
    public S state() {
        return state;
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Completes (on the event thread) when the connection first reaches CONNECTED; fails when it fails or closes first. */
    public CompletableFuture<Void> connected() {
        return connected;
    }

    /** Completes when the session has closed. */
    public CompletableFuture<Void> closedFuture() {
        return closedFuture;
    }

    public void addStateListener(Consumer<S> listener) {
        stateListeners.add(listener);
    }

    public void addErrorListener(Consumer<Throwable> listener) {
        errorListeners.add(listener);
    }

    /** Throws {@link IllegalStateException} naming the session and {@code what} once it is closed. */
    public void requireOpen(String what) {
        if (closed.get()) {
            throw new IllegalStateException("session '" + name + "' is closed: cannot " + what + "; create a new session");
        }
    }

    /** Logs {@code t} (unwrapped from completion wrappers) and tells the error listeners. */
    public void reportError(Throwable t) {
        Throwable e = unwrap(t);
        log.warn("session '{}': {}", name, e.toString());
        for (Consumer<Throwable> l : errorListeners) {
            try {
                l.accept(e);
            } catch (RuntimeException le) {
                log.warn("session '{}': an error listener threw", name, le);
            }
        }
    }

    /** A signalled message failed: tell the error listeners, unless it failed because the session closed. */
    public void reportUnlessClosed(Throwable e) {
        if (e != null && !closed.get()) {
            reportError(e);
        }
    }

    /**
     * Event thread: the engine reported a connection state. Ignored once closed or when unchanged;
     * CONNECTED completes {@link #connected()}, FAILED fails it (with {@code iceFailedAdvice} in the
     * message); then the state listeners run.
     *
     * @return whether the state changed
     */
    public boolean connectionChanged(S s, String iceFailedAdvice) {
        return connectionChanged(s, iceFailedAdvice, () -> { });
    }

    /** Like {@link #connectionChanged(Enum, String)}; {@code onConnected} runs first when CONNECTED is new. */
    public boolean connectionChanged(S s, String iceFailedAdvice, Runnable onConnected) {
        if (closed.get() || state == s) {
            return false;
        }
        state = s;
        if (s == connectedState) {
            onConnected.run();
            connected.complete(null);
        } else if (s == failedState) {
            connected.completeExceptionally(failure.apply("session '" + name + "': ICE failed; " + iceFailedAdvice, null));
        }
        notifyState(s);
        return true;
    }

    /** Marks the session closed; true for the first caller only (who then calls {@link #closeOn}). */
    public boolean beginClose() {
        return closed.compareAndSet(false, true);
    }

    /**
     * Runs {@code tearDown} as the last task of {@code events} and completes {@link #closedFuture()}
     * after it (or with its failure); at once when the thread has already shut down.
     */
    public CompletableFuture<Void> closeOn(SessionEventThread events, Runnable tearDown) {
        boolean queued = events.executeLast(() -> {
            try {
                tearDown.run();
                closedFuture.complete(null);
            } catch (Throwable t) {
                closedFuture.completeExceptionally(t);
            }
        });
        if (!queued) {
            closedFuture.complete(null);
        }
        return closedFuture;
    }

    /**
     * Event thread, the end of the tear-down: {@link #connected()} fails with {@code gone} if still
     * pending, the state becomes CLOSED and the state listeners hear it.
     */
    public void closed(IllegalStateException gone) {
        connected.completeExceptionally(gone);
        if (state != closedState) {
            state = closedState;
            notifyState(closedState);
        }
    }

    /** Event thread, tear-down: sends a bye to the peer; a failure is logged and closing goes on. */
    public void sendBye(Signaller signaller) {
        try {
            signaller.sendBye();
        } catch (RuntimeException e) {
            log.warn("session '{}': sending bye failed; closing anyway", name, e);
        }
    }

    /** The failure that pending futures get when the session closes. */
    public IllegalStateException gone() {
        return new IllegalStateException("session '" + name + "' closed");
    }

    /**
     * Waits for {@code closing} and then for the event thread to end, each at most
     * {@link #CLOSE_TIMEOUT}. Interrupted: returns with the interrupt flag set.
     *
     * @throws RuntimeException the module's exception when the tear-down fails or takes too long
     */
    public void awaitClose(CompletableFuture<Void> closing, SessionEventThread events) {
        try {
            closing.get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            events.awaitTermination(CLOSE_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            throw failure.apply("session '" + name + "' did not close within " + CLOSE_TIMEOUT
                    + "; a listener on its event thread may be blocked", e);
        } catch (ExecutionException e) {
            throw failure.apply("session '" + name + "': closing failed: " + e.getCause(), e.getCause());
        }
    }

    /** The cause inside {@link CompletionException} and {@link ExecutionException} wrappers. */
    public static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private void notifyState(S s) {
        for (Consumer<S> l : stateListeners) {
            try {
                l.accept(s);
            } catch (RuntimeException e) {
                log.warn("session '{}': a state listener threw", name, e);
            }
        }
    }
}
