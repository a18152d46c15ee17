package dev.packetstream.signaling.internal;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: the listener thread
 * contract of a client that shares a pool with others. A task's exception is logged and does not
 * stop the next one.
 *
 * <h2>Threads</h2>
 * {@link #execute} from any thread. {@link #inEventLoop()} tells whether the caller is running a
 * task of this executor.
 */
public final class SerialExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor delegate;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private boolean running;
    private volatile Thread current;

    public SerialExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (tasks) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        delegate.execute(this::drain);
    }

    public boolean inEventLoop() {
        return current == Thread.currentThread();
    }

    private void drain() {
        current = Thread.currentThread();
        try {
            for (int i = 0; i < 64; i++) {
                Runnable task;
                synchronized (tasks) {
                    task = tasks.poll();
                    if (task == null) {
                        running = false;
                        return;
                    }
                }
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("a signaling listener threw; the client goes on", e);
                }
            }
        } finally {
            current = null;
        }
        // More tasks: yield the shared thread to others, then continue.
        delegate.execute(this::drain);
    }
}
