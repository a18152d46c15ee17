package dev.packetstream.core.peer;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A peer session's event thread: one daemon thread that runs the session's work one task at a
 * time, in the order it was handed over. Used by both kinds of peer session (libwebrtc and
 * GStreamer): native callbacks arrive on threads of the media engine where blocking deadlocks,
 * and only hand over to this thread; listeners, {@code Signaller.send...} calls and the dependent
 * stages of the session's futures run here.
 *
 * <h2>Contract</h2>
 * <ul>
 * <li><b>Which thread</b>: one thread, named by the session (e.g. {@code rtc-<runtime>-<session>-events});
 *     {@link #inEventLoop()} tells whether the caller is on it.</li>
 * <li><b>May it block</b>: a task may block briefly (a GStreamer session waits for webrtcbin's
 *     replies here), but while it does, the session processes nothing else. A task must never wait
 *     for a later task of the same thread.</li>
 * <li><b>Failures</b>: what a fire-and-forget task throws goes to the session's error reporter;
 *     what a task with a future throws fails that future. A {@link VirtualMachineError} is
 *     rethrown.</li>
 * <li><b>Shutdown</b>: {@link #executeLast} queues the final task (the session's tear-down), after
 *     which the thread accepts nothing: later fire-and-forget tasks are dropped (logged at debug),
 *     later tasks with a future fail it with {@link IllegalStateException}, delayed tasks not yet
 *     due are discarded.</li>
 * </ul>
 */
public final class SessionEventThread {
    private static final Logger log = LoggerFactory.getLogger(SessionEventThread.class);

    private final String session;
    private final ScheduledThreadPoolExecutor executor;
    private final Consumer<Throwable> reporter;
    private final Function<Error, ? extends Throwable> refusal;
    private volatile Thread thread;

    /**
     * @param threadName the thread's name
     * @param session    the session's name, for messages
     * @param reporter   where failures of fire-and-forget tasks go (the session's error listeners)
     * @param refusal    what an {@link Error} thrown by a task with a future becomes (a media
     *                   engine's binding may report a refused call as a plain {@code Error})
     */
    public SessionEventThread(String threadName, String session, Consumer<Throwable> reporter, Function<Error, ? extends Throwable> refusal) {
        this.session = session;
        this.reporter = reporter;
        this.refusal = refusal;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Like the four-argument constructor; an {@link Error} of a task with a future fails it as it is. */
    public SessionEventThread(String threadName, String session, Consumer<Throwable> reporter) {
        this(threadName, session, reporter, e -> e);
    }

    /** The executor, for hand-offs that complete futures themselves. Shut down with the thread. */
    public ExecutorService executor() {
        return executor;
    }

    /** Whether the caller runs on this thread. */
    public boolean inEventLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code r} on the thread; its failures go to the error reporter. Dropped once shut down. */
    public void execute(Runnable r) {
        try {
            executor.execute(() -> runCatching(r, reporter));
        } catch (RejectedExecutionException e) {
            log.debug("session '{}' is closed: dropped an event", session);
        }
    }

    /** Runs {@code r} on the thread; what it throws fails {@code f}. Fails {@code f} once shut down. */
    public void execute(Runnable r, CompletableFuture<?> f) {
        try {
            executor.execute(() -> runCatching(r, e -> f.completeExceptionally(e instanceof Error error ? refusal.apply(error) : e)));
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(new IllegalStateException("session '" + session + "' is closed"));
        }
    }

    /** Runs {@code r} on the thread after {@code delay}, unless the thread has shut down by then. */
    public void schedule(Runnable r, Duration delay) {
        try {
            executor.schedule(() -> runCatching(r, reporter), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("session '{}' is closed: dropped a delayed event", session);
        }
    }

    /**
     * Runs {@code r} as the last task: the thread shuts down after it.
     *
     * @return false if the thread was already shut down (nothing runs)
     */
    public boolean executeLast(Runnable r) {
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

    /** Stops at once: queued tasks are dropped (for a session whose construction failed). */
    public void shutdownNow() {
        executor.shutdownNow();
    }

    /** Waits up to {@code timeout} for the thread to end after {@link #executeLast}. */
    public void awaitTermination(Duration timeout) throws InterruptedException {
        executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs {@code r}; what it throws, but a {@link VirtualMachineError}, goes to {@code failed}. */
    private static void runCatching(Runnable r, Consumer<Throwable> failed) {
        try {
            r.run();
        } catch (Exception e) { // also a native binding's undeclared checked exceptions
            failed.accept(e);
        } catch (Error e) {
            if (e instanceof VirtualMachineError) {
                throw e;
            }
            failed.accept(e);
        }
    }
}
