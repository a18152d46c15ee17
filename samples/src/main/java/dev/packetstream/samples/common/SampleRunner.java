package dev.packetstream.samples.common;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a started sample in the foreground: prints its status line, and closes it in order when the
 * user presses Ctrl-C (SIGINT), the process gets SIGTERM, or the sample ends by itself.
 *
 * <h2>Shutdown</h2>
 * A JVM shutdown hook closes the sample: recordings get their trailer, sessions and the libwebrtc
 * runtime are closed (its threads are non-daemon: without that the JVM would not exit), and the
 * server stops. The hook waits for that, so the file on disk is complete when the process exits.
 */
public final class SampleRunner {
    private static final Logger log = LoggerFactory.getLogger(SampleRunner.class);

    private SampleRunner() {
    }

    /**
     * Prints {@code lines} (what runs, the page to open) and "press Ctrl-C to stop" to the command's
     * output {@code out}, then runs the sample as {@link #runUntilStopped} does, its status lines on
     * standard output.
     */
    public static int announceAndRun(RunningSample sample, PrintWriter out, String... lines) {
        for (String line : lines) {
            out.println(line);
        }
        out.println("press Ctrl-C to stop");
        out.flush();
        return runUntilStopped(sample, System.out);
    }

    /** Blocks until the sample is closed; returns the process exit code (0 when it ended well). */
    public static int runUntilStopped(RunningSample sample, PrintStream out) {
        CountDownLatch closed = new CountDownLatch(1);
        Object closeLock = new Object();
        StatusLine status = new StatusLine(out, sample::statusLine, 5);
        Runnable closeOnce = () -> {
            synchronized (closeLock) {
                if (closed.getCount() == 0) {
                    return;
                }
                status.close(); // no status lines while closing
                try {
                    sample.close();
                } catch (RuntimeException e) {
                    log.error("closing the sample failed", e);
                } finally {
                    closed.countDown();
                }
            }
        };
        Thread hook = new Thread(() -> {
            out.println();
            out.println("stopping…");
            closeOnce.run();
            out.println("stopped.");
            out.flush();
        }, "sample-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        int exit = 0;
        try {
            // Not on the thread that completes it (a capture thread cannot close its own stream).
            sample.finished().whenCompleteAsync((v, e) -> {
                if (e != null) {
                    log.error("the sample's input failed: {}", e.toString());
                }
                closeOnce.run();
            }, r -> new Thread(r, "sample-finish").start());
            closed.await();
            if (sample.finished().isCompletedExceptionally()) {
                exit = 1;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeOnce.run();
        } finally {
            status.close();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: the JVM exits when it is done
        }
        return exit;
    }
}
