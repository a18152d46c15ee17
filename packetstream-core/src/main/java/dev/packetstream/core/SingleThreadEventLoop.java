package dev.packetstream.core;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link EventLoop} on one thread of its own. An idle loop is parked: it uses no CPU.
 *
 * <h2>Threads</h2>
 * Tasks run one at a time, in submission order, on the loop's thread; a task that throws is
 * logged and the loop goes on. {@link #close()} runs the tasks already submitted, then ends the
 * thread; tasks submitted after close are rejected.
 */
public final class SingleThreadEventLoop implements EventLoop, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SingleThreadEventLoop.class);
    private static final Runnable POISON = () -> { };

    private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean shutdown;

    /** Starts a loop whose thread is named {@code name}. */
    public SingleThreadEventLoop(String name) {
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void execute(Runnable task) {
        if (shutdown) {
            throw new RejectedExecutionException("event loop '" + thread.getName() + "' is closed");
        }
        tasks.add(task);
    }

    @Override
    public boolean inEventLoop() {
        return Thread.currentThread() == thread;
    }

    /** The loop's thread name. */
    public String name() {
        return thread.getName();
    }

    private void run() {
        for (;;) {
            Runnable r;
            try {
                r = tasks.take();
            } catch (InterruptedException e) {
                return;
            }
            if (r == POISON) {
                return;
            }
            try {
                r.run();
            } catch (Throwable t) {
                log.error("task on event loop '{}' threw", thread.getName(), t);
            }
        }
    }

    /** Runs what was submitted, then ends the loop's thread (waiting at most 5 s for it). */
    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    /** Runs what was submitted, then ends the loop's thread, waiting at most {@code timeout}. */
    public void close(Duration timeout) {
        if (shutdown) {
            return;
        }
        shutdown = true;
        tasks.add(POISON);
        if (inEventLoop()) {
            return;
        }
        try {
            thread.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
        }
    }
}
