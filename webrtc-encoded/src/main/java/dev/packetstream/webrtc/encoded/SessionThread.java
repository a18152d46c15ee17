package dev.packetstream.webrtc.encoded;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A session's event thread: one daemon thread that runs the session's work in order, reports
 * failures of fire-and-forget tasks to the session's error listeners, and fails a task's future
 * with what it threw. After {@link #executeFinal} it accepts nothing more.
 */
final class SessionThread {
    private final ScheduledThreadPoolExecutor executor;
    private final Consumer<Throwable> errors;
    private volatile Thread thread;

    SessionThread(String name, Consumer<Throwable> errors) {
        this.errors = errors;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    boolean isCurrent() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code r} on the thread; what it throws goes to the error listeners. Dropped once shut down. */
    void execute(Runnable r) {
        try {
            executor.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException | LinkageError | AssertionError e) {
                    errors.accept(e);
                }
            });
        } catch (RejectedExecutionException e) {
            // the session is closed: late native callbacks are dropped
        }
    }

    /** Runs {@code r} on the thread; what it throws fails {@code f}. */
    void execute(Runnable r, CompletableFuture<?> f) {
        try {
            executor.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException | LinkageError | AssertionError e) {
                    f.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(new IllegalStateException("the session is closed"));
        }
    }

    void schedule(Runnable r, Duration delay) {
        try {
            executor.schedule(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    errors.accept(e);
                }
            }, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    /** Runs {@code r} as the last task, then shuts down. False when already shut down. */
    boolean executeFinal(Runnable r) {
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

    void shutdown() {
        executor.shutdownNow();
    }

    void awaitTermination(Duration timeout) throws InterruptedException {
        executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
