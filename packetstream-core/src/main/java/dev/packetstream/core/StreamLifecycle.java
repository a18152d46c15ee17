package dev.packetstream.core;

import dev.packetstream.core.StreamTopology.ProcessorEntry;
import dev.packetstream.core.StreamTopology.SourceEntry;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine of one {@link PacketStream}: start, pause, resume, the orderly stop, close,
 * a stage's failure, and the listeners of each. The lifecycle lock serialises these with changes
 * of the topology. The state itself is the stream's field ({@code PacketStream.state}: the data
 * path reads it on every write without an extra hop); only this class writes it.
 */
final class StreamLifecycle {
    private static final Logger log = LoggerFactory.getLogger(PacketStream.class);
    private static final Set<StreamState> RUNNING = EnumSet.of(StreamState.ACTIVE, StreamState.PAUSED);

    /** Held by lifecycle methods and topology changes. */
    final Object lock = new Object();
    private final Object stateMonitor = new Object();
    private final PacketStream stream;
    private final String name;
    private final StreamTopology topology;
    private volatile boolean closeOnError = true;
    private volatile StageException lastError;

    private final List<PacketStream.StateListener> stateListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<StageException>> errorListeners = new CopyOnWriteArrayList<>();

    StreamLifecycle(PacketStream stream, StreamTopology topology) {
        this.stream = stream;
        this.name = stream.name();
        this.topology = topology;
    }

    StageException lastError() {
        return lastError;
    }

    void closeOnError(boolean close) {
        this.closeOnError = close;
    }

    void addStateListener(PacketStream.StateListener l) {
        stateListeners.add(l);
    }

    void addErrorListener(Consumer<StageException> l) {
        errorListeners.add(l);
    }

    void requireTopologyChangeAllowed(String what) {
        StreamState s = stream.state;
        if (!s.allowsTopologyChange()) {
            throw new IllegalStateException("cannot " + what + " on stream '" + name + "' while it is " + s
                    + (s == StreamState.CLOSED ? ": a closed stream is done, build a new one"
                    : ": stop() it first (the topology may change only in NONE or STOPPED)"));
        }
    }

    /**
     * A stage failed: ERROR, listeners, close (by default). {@code thrownToCaller} when the
     * caller of a lifecycle method gets the exception too, so it is logged at debug only.
     */
    void fail(String stage, Throwable cause, boolean thrownToCaller) {
        StageException e = cause instanceof StageException se && se.stream().equals(name) ? se
                : new StageException(name, stage, cause);
        StreamState from;
        synchronized (stateMonitor) {
            from = stream.state;
            if (from == StreamState.ERROR || from == StreamState.CLOSED) {
                log.warn("stream '{}': stage '{}' failed after the stream had already {}", name, stage,
                        from == StreamState.ERROR ? "failed" : "closed", cause);
                return;
            }
            lastError = e;
            stream.state = StreamState.ERROR;
            stateMonitor.notifyAll();
        }
        if (thrownToCaller) {
            log.debug("stream '{}': stage '{}' failed to start", name, stage, cause);
        } else {
            log.error("stream '{}': stage '{}' failed", name, stage, cause);
        }
        fireState(from, StreamState.ERROR);
        for (Consumer<StageException> l : errorListeners) {
            try {
                l.accept(e);
            } catch (RuntimeException le) {
                log.warn("error listener of stream '{}' threw", name, le);
            }
        }
        if (closeOnError) {
            closeAsync();
        }
        if (cause instanceof VirtualMachineError vme) {
            throw vme;
        }
    }

    void start() {
        synchronized (lock) {
            StreamState s = stream.state;
            if (s == StreamState.ACTIVE) {
                return;
            }
            if (s != StreamState.NONE && s != StreamState.STOPPED) {
                throw new IllegalStateException("stream '" + name + "' cannot start from " + s
                        + (s == StreamState.CLOSED ? ": a closed stream is done, build a new one" : ""));
            }
            stream.wire();
            for (ProcessorEntry e : topology.processors()) {
                try {
                    e.processor.onStart();
                } catch (RuntimeException ex) {
                    fail(e.processor.name(), ex, true);
                    throw lastError;
                }
            }
            transition(StreamState.ACTIVE);
            for (SourceEntry e : topology.sources()) {
                if (e.syncState) {
                    try {
                        ((Startable) e.source).start();
                    } catch (RuntimeException ex) {
                        fail(e.source.name(), ex, true);
                        throw lastError;
                    }
                }
            }
        }
    }

    void pause() {
        synchronized (lock) {
            if (stream.state != StreamState.ACTIVE) {
                throw new IllegalStateException("stream '" + name + "' can pause only while ACTIVE, it is " + stream.state);
            }
            transition(StreamState.PAUSED);
        }
    }

    void resume() {
        synchronized (lock) {
            if (stream.state != StreamState.PAUSED) {
                throw new IllegalStateException("stream '" + name + "' can resume only while PAUSED, it is " + stream.state);
            }
            transition(StreamState.ACTIVE);
        }
    }

    void stop() {
        if (topology.onDeliveryThread()) {
            stopAsync();
            return;
        }
        synchronized (lock) {
            if (!RUNNING.contains(stream.state)) {
                return;
            }
            transition(StreamState.STOPPING);
            stopSources();
            for (ProcessorEntry e : topology.processors()) {
                if (stream.state != StreamState.STOPPING) {
                    break; // a stage failed while flushing
                }
                try {
                    e.processor.onStop();
                } catch (RuntimeException ex) {
                    e.stage.failed(ex);
                }
            }
            synchronized (stateMonitor) {
                if (stream.state != StreamState.STOPPING) {
                    return;
                }
            }
            transition(StreamState.STOPPED);
        }
    }

    private void stopSources() {
        for (SourceEntry e : topology.sources()) {
            if (e.syncState) {
                try {
                    ((Startable) e.source).stop();
                } catch (RuntimeException ex) {
                    log.warn("stream '{}': source '{}' failed to stop", name, e.source.name(), ex);
                }
            }
        }
    }

    CompletableFuture<Void> stopAsync() {
        return onControlThread("stop", this::stop);
    }

    void close() {
        if (topology.onDeliveryThread()) {
            closeAsync();
            return;
        }
        synchronized (lock) {
            StreamState s = stream.state;
            if (s == StreamState.CLOSED) {
                return;
            }
            if (RUNNING.contains(s)) {
                stop();
            } else if (s == StreamState.ERROR) {
                stopSources();
            }
            for (ProcessorEntry e : topology.processors()) {
                try {
                    e.processor.onClose();
                } catch (RuntimeException ex) {
                    log.warn("stream '{}': stage '{}' failed to close", name, e.processor.name(), ex);
                }
            }
            transition(StreamState.CLOSED);
            for (ProcessorEntry e : topology.processors()) {
                if (e.closeWithStream) {
                    closeQuietly(e.processor);
                }
            }
            for (SourceEntry e : topology.sources()) {
                if (e.closeWithStream) {
                    closeQuietly(e.source);
                }
            }
        }
    }

    CompletableFuture<Void> closeAsync() {
        return onControlThread("close", this::close);
    }

    boolean awaitState(StreamState target, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (stateMonitor) {
            while (stream.state != target) {
                if (stream.state == StreamState.CLOSED) {
                    return false;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                stateMonitor.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    private void transition(StreamState to) {
        StreamState from;
        synchronized (stateMonitor) {
            from = stream.state;
            stream.state = to;
            stateMonitor.notifyAll();
        }
        fireState(from, to);
    }

    private void fireState(StreamState from, StreamState to) {
        for (PacketStream.StateListener l : stateListeners) {
            try {
                l.onStateChange(stream, from, to);
            } catch (RuntimeException e) {
                log.warn("stream.state listener of stream '{}' threw", name, e);
            }
        }
    }

    private CompletableFuture<Void> onControlThread(String what, Runnable action) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                action.run();
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "packetstream-" + name + "-" + what);
        t.start();
        return done;
    }

    private void closeQuietly(Object o) {
        try {
            ((AutoCloseable) o).close();
        } catch (Exception e) {
            log.warn("stream '{}': closing {} failed", name, o, e);
        }
    }
}
