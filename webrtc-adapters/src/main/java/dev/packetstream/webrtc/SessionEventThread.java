package dev.packetstream.webrtc;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's event thread, {@code rtc-<runtime>-<session>-events}: every libwebrtc callback, every
 * listener and every dependent stage of the session's futures runs on it, one at a time.
 *
 * <p>Failures of a task with no future go to the session's error reporter; a task submitted after
 * shutdown is dropped (logged at debug), or fails its future with {@link IllegalStateException}.
 */
final class SessionEventThread {
    private static final Logger log = LoggerFactory.getLogger(SessionEventThread.class);

    private final String session;
    private final ExecutorService executor;
    private final Consumer<Throwable> reporter;
    private volatile Thread thread;

    SessionEventThread(String runtime, String session, Consumer<Throwable> reporter) {
        this.session = session;
        this.reporter = reporter;
        String threadName = "rtc-" + runtime + "-" + session + "-events";
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            thread = t;
            return t;
        });
    }

    /** The executor, for hand-offs that complete futures themselves ({@link NativeCalls}). */
    ExecutorService executor() {
        return executor;
    }

    /** Whether the caller runs on this thread. */
    boolean inEventLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code r} on the thread; its failures go to the error reporter. */
    void execute(Runnable r) {
        try {
            executor.execute(() -> {
                try {
                    r.run();
                } catch (Exception | LinkageError | AssertionError e) {
                    reporter.accept(e); // also the JNI layer's undeclared checked exceptions and Errors
                } catch (Error e) {
                    if (e instanceof VirtualMachineError) {
                        throw e;
                    }
                    reporter.accept(e);
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("session '{}' is closed: dropped an event", session);
        }
    }

    /** Runs {@code r} on the thread; its failures complete {@code f}. */
    void execute(Runnable r, CompletableFuture<?> f) {
        try {
            executor.execute(() -> {
                try {
                    r.run();
                } catch (Exception e) { // also the JNI layer's undeclared checked exceptions
                    f.completeExceptionally(e);
                } catch (Error e) { // the JNI layer reports some refusals as java.lang.Error
                    if (e instanceof VirtualMachineError) {
                        throw e;
                    }
                    f.completeExceptionally(new RtcException("session '" + session + "': libwebrtc refused: " + e.getMessage(), e));
                }
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(new IllegalStateException("session '" + session + "' is closed"));
        }
    }

    /**
     * Runs {@code r} as the last task: the thread shuts down after it.
     *
     * @return false if the thread was already shut down (nothing runs)
     */
    boolean executeLast(Runnable r) {
        try {
            executor.execute(() -> {
                try {
                    r.run();
                } finally {
                    executor.shutdown();
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Stops taking tasks and waits up to {@code timeout} for the queued ones. */
    void shutdownAndWait(Duration timeout) throws InterruptedException {
        executor.shutdown();
        executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
