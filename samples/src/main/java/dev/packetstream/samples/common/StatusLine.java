package dev.packetstream.samples.common;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Prints a sample's one-line live status once a second on its own daemon thread
 * ({@code status-line}). On a terminal the line is rewritten in place ({@code \r}); when the output
 * is a pipe or a file, a full line is printed every {@code pipeEverySeconds} instead.
 */
public final class StatusLine implements AutoCloseable {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "status-line");
        t.setDaemon(true);
        return t;
    });
    private final PrintStream out;
    private final boolean terminal;
    private int lastLength;
    private long ticks;

    public StatusLine(PrintStream out, Supplier<String> status, int pipeEverySeconds) {
        this.out = out;
        this.terminal = System.console() != null;
        timer.scheduleAtFixedRate(() -> {
            String line;
            try {
                line = status.get();
            } catch (RuntimeException e) {
                line = "status unavailable: " + e;
            }
            print(line, ticks++ % Math.max(1, pipeEverySeconds) == 0);
        }, 1, 1, TimeUnit.SECONDS);
    }

    private synchronized void print(String line, boolean pipeTick) {
        if (terminal) {
            String padded = line.length() < lastLength ? line + " ".repeat(lastLength - line.length()) : line;
            lastLength = line.length();
            out.print("\r" + padded);
            out.flush();
        } else if (pipeTick) {
            out.println(line);
            out.flush();
        }
    }

    /** Stops printing and ends the line. */
    @Override
    public synchronized void close() {
        timer.shutdownNow();
        if (terminal && lastLength > 0) {
            out.println();
        }
    }
}
