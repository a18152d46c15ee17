package dev.packetstream.signaling.internal;

import dev.packetstream.signaling.SignalingLimits;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's timer thread ({@code signaling-server-timer}): a few times per shortest timeout it
 * asks every WebSocket connection to check its idle and write timeouts, and the
 * {@link HttpConnectionGuard} to close connections that are slow to send request headers.
 *
 * <h2>Lifecycle</h2>
 * {@link #start()} once, {@link #close()} (idempotent) stops the thread.
 */
public final class ConnectionSweeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionSweeper.class);

    private final Set<SignalingEndpoint> endpoints;
    private final HttpConnectionGuard guard;
    private final FatalErrors fatal;
    private final long periodNanos;
    private ScheduledExecutorService timer;

    public ConnectionSweeper(Set<SignalingEndpoint> endpoints, HttpConnectionGuard guard, FatalErrors fatal,
                             SignalingLimits limits) {
        this.endpoints = endpoints;
        this.guard = guard;
        this.fatal = fatal;
        Duration shortest = limits.idleTimeout();
        if (limits.writeTimeout().compareTo(shortest) < 0) {
            shortest = limits.writeTimeout();
        }
        if (limits.requestHeaderTimeout().compareTo(shortest) < 0) {
            shortest = limits.requestHeaderTimeout();
        }
        this.periodNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(20),
                Math.min(TimeUnit.SECONDS.toNanos(1), shortest.toNanos() / 4));
    }

    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "signaling-server-timer");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::sweep, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
    }

    private void sweep() {
        try {
            long now = System.nanoTime();
            for (SignalingEndpoint endpoint : endpoints) {
                endpoint.check(now);
            }
            guard.sweep(now);
        } catch (VirtualMachineError e) {
            fatal.report(e);
            throw e;
        } catch (RuntimeException e) {
            LOG.error("connection sweep failed (it runs again)", e); // a failure here must not end the timer
        }
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            timer = null;
        }
    }
}
