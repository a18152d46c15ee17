package dev.packetstream.signaling.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Errors the server must not survive silently. After an {@link OutOfMemoryError} (or any other
 * {@link VirtualMachineError}) in one of its threads, Jetty's acceptor, selector or a connection
 * may be dead while the process stays up and looks healthy to a supervisor; so the first such error
 * goes to the server's fatal-error handler (by default: halt the JVM, so that a supervisor restarts
 * it). The handler runs at most once.
 *
 * <h2>Threads</h2>
 * Any thread; {@link #report} is idempotent.
 */
public final class FatalErrors {
    private static final Logger LOG = LoggerFactory.getLogger(FatalErrors.class);

    /** The default handler: one line on standard error, then {@code Runtime.halt(3)}. */
    public static final Consumer<Error> HALT = error -> {
        try {
            System.err.println("signaling-server: fatal " + error + ": halting the JVM (exit status 3) so that"
                    + " a supervisor restarts it");
            System.err.flush();
        } finally {
            Runtime.getRuntime().halt(3);
        }
    };

    private final Consumer<Error> handler;
    private final AtomicBoolean reported = new AtomicBoolean();

    public FatalErrors(Consumer<Error> handler) {
        this.handler = handler;
    }

    /** If {@code failure} is or was caused by a {@link VirtualMachineError}, hands it to the handler. */
    public void check(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof VirtualMachineError error) {
                report(error);
                return;
            }
        }
    }

    public void report(Error error) {
        if (!reported.compareAndSet(false, true)) {
            return;
        }
        try {
            LOG.error("fatal error in the signaling server: {}", error.toString());
        } catch (Throwable ignored) {
            // logging may itself fail for want of memory; the handler still runs
        }
        handler.accept(error);
    }

    /** A Jetty thread pool whose jobs report a {@link VirtualMachineError} before it unwinds. */
    public QueuedThreadPool threadPool(int maxThreads, int minThreads) {
        return new QueuedThreadPool(maxThreads, minThreads) {
            @Override
            protected void runJob(Runnable job) {
                try {
                    super.runJob(job);
                } catch (VirtualMachineError e) {
                    report(e);
                    throw e;
                }
            }
        };
    }
}
