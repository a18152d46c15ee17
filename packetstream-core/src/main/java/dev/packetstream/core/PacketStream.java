package dev.packetstream.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A packet data plane: sources → processors (ascending order) → one emitter → sinks.
 *
 * <pre>{@code
 * PacketStream stream = new PacketStream("webcam");
 * stream.attachSource(capture, AttachOption.SYNC_STATE);
 * stream.attach(converter, 10);
 * stream.attach(sender, 20);
 * stream.addSink("probe", packet -> frames.incrementAndGet());
 * stream.start();
 * ...
 * stream.close();
 * }</pre>
 *
 * <h2>Build the graph, then run it</h2>
 * Sources, processors and sinks are attached while the stream is {@link StreamState#NONE} or
 * {@link StreamState#STOPPED}; changing the topology of a running stream throws
 * {@link IllegalStateException}. Stop and tear down in the reverse direction.
 *
 * <h2>Threads</h2>
 * Packets run synchronously on the thread that writes them, until a queue boundary
 * ({@link AsyncPacketQueue}, {@link SyncPacketQueue}, {@link #synchronizeOutput(EventLoop)}).
 * {@link #write(Packet)} may be called from several threads at once. Lifecycle methods are thread
 * safe; state and error listeners run on the thread that made the transition. A FINAL packet, an
 * error, or a stop/close called from one of this stream's own queue threads complete on a
 * short-lived control thread ({@link #awaitState(StreamState, Duration)} waits for them).
 *
 * <h2>Ownership</h2>
 * See {@link Packet} and {@link Retention}. The writer keeps ownership of what it writes: a
 * reference-counted packet is released by its writer after {@code write} returns, whether or not
 * the stream accepted it.
 *
 * <h2>Stop and close</h2>
 * {@link #stop()} is orderly: sources with {@link AttachOption#SYNC_STATE} stop, then each
 * processor in order gets {@link PacketProcessor#onStop()}: queues drain (or drop, by policy) and
 * processors flush, and what they emit reaches the sinks. {@link #close()} stops if needed, then
 * closes the stages; late packets after close are counted and dropped, never delivered.
 */
public final class PacketStream implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PacketStream.class);
    private static final Set<StreamState> RUNNING = EnumSet.of(StreamState.ACTIVE, StreamState.PAUSED);

    /** A state transition. */
    @FunctionalInterface
    public interface StateListener {
        /** Called on the thread that made the transition. */
        void onStateChange(PacketStream stream, StreamState from, StreamState to);
    }

    private final String name;
    private final Object lifecycle = new Object();
    private final Object stateMonitor = new Object();
    private volatile StreamState state = StreamState.NONE;

    private final List<SourceEntry> sources = new ArrayList<>();
    /** Copy-on-write: queue threads read it (am I a delivery thread?) while stop or close run. */
    private final List<ProcessorEntry> processors = new CopyOnWriteArrayList<>();
    private final List<SinkEntry> sinks = new ArrayList<>();

    /** The first stage; written before the volatile write of ACTIVE, read after reading ACTIVE. */
    private PacketSink head;
    private volatile boolean finalReached;
    private volatile boolean closeOnError = true;
    private volatile StageException lastError;

    private final List<StateListener> stateListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<StageException>> errorListeners = new CopyOnWriteArrayList<>();

    /** Packets written (the writers' side). */
    private final StageCounters written = new StageCounters();
    /** Packets that reached the emitter, delivered or (after close) dropped. */
    private final StageCounters atEmitter = new StageCounters();
    private final AtomicLong droppedAtEmitter = new AtomicLong();
    private final AtomicLong droppedInactive = new AtomicLong();
    private final AtomicLong lateAfterClose = new AtomicLong();
    private final PacketSink writeEntry = this::write;

    /** A stream named {@code name} (the name appears in stats, {@link #describe()} and errors). */
    public PacketStream(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a stream needs a name: it appears in stats and errors");
        }
        this.name = name;
    }

    /** The stream's name. */
    public String name() {
        return name;
    }

    /** The current state. */
    public StreamState state() {
        return state;
    }

    /** Whether packets flow. */
    public boolean isActive() {
        return state == StreamState.ACTIVE;
    }

    /** The last error a stage raised, or null. */
    public StageException error() {
        return lastError;
    }

    /** Whether a stage's error closes the stream (true by default). */
    public PacketStream closeOnError(boolean close) {
        this.closeOnError = close;
        return this;
    }

    // ------------------------------------------------------------------ topology

    /**
     * Attaches a source: whatever it emits is written into this stream. With
     * {@link AttachOption#SYNC_STATE} the stream starts and stops it.
     */
    public PacketStream attachSource(PacketStreamAdapter source, AttachOption... options) {
        Set<AttachOption> opts = options(options);
        if (opts.contains(AttachOption.SYNC_STATE) && !(source instanceof Startable)) {
            throw new IllegalArgumentException("source '" + source.name() + "' cannot be attached with SYNC_STATE: "
                    + source.getClass().getName() + " does not implement Startable");
        }
        checkCloseable(source, opts);
        synchronized (lifecycle) {
            requireTopologyChangeAllowed("attach source '" + source.name() + "'");
            source.attachTo(this);
            SourceEntry entry = new SourceEntry(source, opts);
            sources.add(entry);
            if (state == StreamState.STOPPED) {
                // sources of a stopped stream stay wired to it: a stopped stream ignores their writes
                source.connect(entry.input);
            }
        }
        return this;
    }

    /**
     * Attaches a processor at {@code order}: lower orders run first, equal orders in attach order.
     */
    public PacketStream attach(PacketProcessor processor, int order, AttachOption... options) {
        Set<AttachOption> opts = options(options);
        if (opts.contains(AttachOption.SYNC_STATE)) {
            throw new IllegalArgumentException("SYNC_STATE applies to sources, not to processor '" + processor.name() + "'");
        }
        checkCloseable(processor, opts);
        synchronized (lifecycle) {
            requireTopologyChangeAllowed("attach processor '" + processor.name() + "'");
            for (ProcessorEntry e : processors) {
                if (e.processor == processor) {
                    throw new IllegalArgumentException("processor '" + processor.name() + "' is already attached to stream '" + name + "'");
                }
            }
            processor.attachTo(this);
            ProcessorEntry entry = new ProcessorEntry(processor, new ProcessorStage(this, processor), order,
                    opts.contains(AttachOption.CLOSE_WITH_STREAM));
            int i = 0;
            while (i < processors.size() && processors.get(i).order <= order) {
                i++;
            }
            processors.add(i, entry);
        }
        return this;
    }

    /** Attaches a processor at order 0. */
    public PacketStream attach(PacketProcessor processor) {
        return attach(processor, 0);
    }

    /**
     * Detaches a source or processor: it is unwired (what it emits afterwards goes nowhere) and the
     * stream no longer starts, stops or closes it.
     *
     * @return whether it was attached
     */
    public boolean detach(PacketStreamAdapter adapter) {
        synchronized (lifecycle) {
            requireTopologyChangeAllowed("detach '" + adapter.name() + "'");
            boolean removed = sources.removeIf(e -> e.source == adapter) | processors.removeIf(e -> e.processor == adapter);
            if (removed) {
                adapter.detach();
            }
            return removed;
        }
    }

    /** Adds a sink under a generated name. */
    public PacketStream addSink(PacketSink sink) {
        synchronized (lifecycle) {
            return addSink("sink-" + sinks.size(), sink);
        }
    }

    /**
     * Adds a named sink that borrows: it uses each packet only during its call. Sinks receive every
     * packet the emitter sends, in the order added.
     */
    public PacketStream addSink(String sinkName, PacketSink sink) {
        return addSink(sinkName, sink, Retention.BORROWED);
    }

    /**
     * Adds a named sink that declares its retention: a sink that keeps reference-counted packets
     * by {@link Packet#retain()} declares {@link Retention#RETAINED}.
     */
    public PacketStream addSink(String sinkName, PacketSink sink, Retention retention) {
        synchronized (lifecycle) {
            requireTopologyChangeAllowed("add sink '" + sinkName + "'");
            for (SinkEntry e : sinks) {
                if (e.name.equals(sinkName)) {
                    throw new IllegalArgumentException("stream '" + name + "' already has a sink named '" + sinkName + "'");
                }
            }
            sinks.add(new SinkEntry(sinkName, sink, retention));
        }
        return this;
    }

    /**
     * Feeds another stream (a branch): every packet this stream emits is written into
     * {@code branch}. The branch has its own state: it can be stopped before this stream, and
     * then ignores what this stream writes to it.
     */
    public PacketStream addSink(PacketStream branch) {
        if (branch == this) {
            throw new IllegalArgumentException("stream '" + name + "' cannot be its own branch");
        }
        return addSink("branch:" + branch.name(), branch.writeEntry);
    }

    /** Removes a sink added under this name. */
    public boolean removeSink(String sinkName) {
        synchronized (lifecycle) {
            requireTopologyChangeAllowed("remove sink '" + sinkName + "'");
            return sinks.removeIf(s -> s.name.equals(sinkName));
        }
    }

    /** Removes a branch added by {@link #addSink(PacketStream)}. */
    public boolean removeSink(PacketStream branch) {
        return removeSink("branch:" + branch.name());
    }

    /**
     * Puts a {@link SyncPacketQueue} on {@code loop} at the end of the graph (order
     * {@link Integer#MAX_VALUE}): sinks then run on the loop's thread.
     */
    public PacketStream synchronizeOutput(EventLoop loop) {
        return attach(new SyncPacketQueue(name + "-output", loop, SyncPacketQueue.DEFAULT_CAPACITY, OverflowPolicy.DROP_OLDEST),
                Integer.MAX_VALUE);
    }

    // ------------------------------------------------------------------ data path

    /**
     * Writes one packet into the stream, synchronously through every stage up to the first queue
     * boundary. While the stream is not {@link StreamState#ACTIVE} the packet is dropped and
     * counted (as late after close, or as dropped while inactive).
     */
    public void write(Packet packet) {
        if (state != StreamState.ACTIVE) {
            rejectInactive();
            return;
        }
        written.in++;
        head.accept(packet);
        if (finalReached) {
            finalReached = false;
            stop();
        }
    }

    private void rejectInactive() {
        if (state == StreamState.CLOSED) {
            lateAfterClose.incrementAndGet();
        } else {
            droppedInactive.incrementAndGet();
        }
    }

    /** The emitter saw a FINAL packet go through to the sinks. */
    void onFinalDelivered() {
        if (onOwnDeliveryThread()) {
            stopAsync();
        } else {
            finalReached = true;
        }
    }

    /** A packet reached the emitter after close (e.g. from a queue's worker): dropped. */
    void onLateAtEmitter() {
        droppedAtEmitter.incrementAndGet();
    }

    /** The emitter's side: counts packets reaching it (kept apart from the writers' counter). */
    StageCounters emitterCounters() {
        return atEmitter;
    }

    /** A stage failed: moves to ERROR, tells listeners, closes (by default). */
    void fail(String stage, Throwable cause) {
        fail(stage, cause, false);
    }

    /**
     * As {@link #fail(String, Throwable)}; {@code thrownToCaller} when the caller of a lifecycle
     * method gets the exception too, so it is logged at debug rather than reported twice.
     */
    private void fail(String stage, Throwable cause, boolean thrownToCaller) {
        StageException e = cause instanceof StageException se && se.stream().equals(name) ? se
                : new StageException(name, stage, cause);
        StreamState from;
        synchronized (stateMonitor) {
            from = state;
            if (from == StreamState.ERROR || from == StreamState.CLOSED) {
                log.warn("stream '{}': stage '{}' failed after the stream had already {}", name, stage,
                        from == StreamState.ERROR ? "failed" : "closed", cause);
                return;
            }
            lastError = e;
            state = StreamState.ERROR;
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

    // ------------------------------------------------------------------ lifecycle

    /**
     * Starts the stream: wires the stages, calls each processor's {@code onStart} in order,
     * becomes ACTIVE, then starts the {@link AttachOption#SYNC_STATE} sources. Starting an active
     * stream does nothing.
     *
     * @throws IllegalStateException when the stream is stopping, failed or closed
     * @throws StageException when a stage fails to start (the stream moves to ERROR)
     */
    public void start() {
        synchronized (lifecycle) {
            StreamState s = state;
            if (s == StreamState.ACTIVE) {
                return;
            }
            if (s != StreamState.NONE && s != StreamState.STOPPED) {
                throw new IllegalStateException("stream '" + name + "' cannot start from " + s
                        + (s == StreamState.CLOSED ? ": a closed stream is done, build a new one" : ""));
            }
            wire();
            for (ProcessorEntry e : processors) {
                try {
                    e.processor.onStart();
                } catch (RuntimeException ex) {
                    fail(e.processor.name(), ex, true);
                    throw lastError;
                }
            }
            transition(StreamState.ACTIVE);
            for (SourceEntry e : sources) {
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

    private void wire() {
        SinkEntry[] sinkArray = sinks.toArray(new SinkEntry[0]);
        PacketSink next = new Emitter(this, sinkArray);
        for (int i = processors.size() - 1; i >= 0; i--) {
            ProcessorEntry e = processors.get(i);
            e.stage.wire(next);
            next = e.stage;
        }
        head = next;
        for (SourceEntry e : sources) {
            e.source.connect(e.input);
        }
    }

    /** Pauses an active stream: writes are dropped and counted until {@link #resume()}. */
    public void pause() {
        synchronized (lifecycle) {
            if (state != StreamState.ACTIVE) {
                throw new IllegalStateException("stream '" + name + "' can pause only while ACTIVE, it is " + state);
            }
            transition(StreamState.PAUSED);
        }
    }

    /** Resumes a paused stream. */
    public void resume() {
        synchronized (lifecycle) {
            if (state != StreamState.PAUSED) {
                throw new IllegalStateException("stream '" + name + "' can resume only while PAUSED, it is " + state);
            }
            transition(StreamState.ACTIVE);
        }
    }

    /**
     * Stops the stream in order: sources, then each processor's {@code onStop} (queues drain,
     * processors flush), then STOPPED. Stopping a stream that is not running does nothing. Called
     * from one of this stream's own queue threads, it completes on a control thread instead.
     */
    public void stop() {
        if (onOwnDeliveryThread()) {
            stopAsync();
            return;
        }
        synchronized (lifecycle) {
            if (!RUNNING.contains(state)) {
                return;
            }
            transition(StreamState.STOPPING);
            stopSources();
            for (ProcessorEntry e : processors) {
                if (state != StreamState.STOPPING) {
                    break; // a stage failed while flushing
                }
                try {
                    e.processor.onStop();
                } catch (RuntimeException ex) {
                    e.stage.failed(ex);
                }
            }
            synchronized (stateMonitor) {
                if (state != StreamState.STOPPING) {
                    return;
                }
            }
            transition(StreamState.STOPPED);
        }
    }

    private void stopSources() {
        for (SourceEntry e : sources) {
            if (e.syncState) {
                try {
                    ((Startable) e.source).stop();
                } catch (RuntimeException ex) {
                    log.warn("stream '{}': source '{}' failed to stop", name, e.source.name(), ex);
                }
            }
        }
    }

    /** {@link #stop()} on a control thread. */
    public CompletableFuture<Void> stopAsync() {
        return onControlThread("stop", this::stop);
    }

    /**
     * Closes the stream: stops it if it runs (queues drain within their stop timeout), closes
     * every stage, and closes the adapters attached with {@link AttachOption#CLOSE_WITH_STREAM}.
     * Late packets are counted and dropped from then on. Idempotent. Returns promptly even while a
     * queue's worker is stuck in a slow processor. Called from one of this stream's own queue
     * threads, it completes on a control thread instead.
     */
    @Override
    public void close() {
        if (onOwnDeliveryThread()) {
            closeAsync();
            return;
        }
        synchronized (lifecycle) {
            StreamState s = state;
            if (s == StreamState.CLOSED) {
                return;
            }
            if (RUNNING.contains(s)) {
                stop();
            } else if (s == StreamState.ERROR) {
                stopSources();
            }
            for (ProcessorEntry e : processors) {
                try {
                    e.processor.onClose();
                } catch (RuntimeException ex) {
                    log.warn("stream '{}': stage '{}' failed to close", name, e.processor.name(), ex);
                }
            }
            transition(StreamState.CLOSED);
            for (ProcessorEntry e : processors) {
                if (e.closeWithStream) {
                    closeQuietly(e.processor);
                }
            }
            for (SourceEntry e : sources) {
                if (e.closeWithStream) {
                    closeQuietly(e.source);
                }
            }
        }
    }

    /** {@link #close()} on a control thread. */
    public CompletableFuture<Void> closeAsync() {
        return onControlThread("close", this::close);
    }

    /**
     * Waits until the stream is in {@code target} (or closed, which no state follows).
     *
     * @return whether the stream reached {@code target} in time
     */
    public boolean awaitState(StreamState target, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (stateMonitor) {
            while (state != target) {
                if (state == StreamState.CLOSED) {
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

    /** Adds a state listener; it runs on the thread that made the transition. */
    public PacketStream addStateListener(StateListener listener) {
        stateListeners.add(listener);
        return this;
    }

    /** Adds an error listener; it runs on the thread where the stage failed. */
    public PacketStream addErrorListener(Consumer<StageException> listener) {
        errorListeners.add(listener);
        return this;
    }

    // ------------------------------------------------------------------ figures

    /** A snapshot of the stream's and every stage's counters. */
    public StreamStats stats() {
        synchronized (lifecycle) {
            List<StageStats> stages = new ArrayList<>();
            long late = droppedAtEmitter.get();
            for (SourceEntry e : sources) {
                stages.add(new StageStats(e.source.name(), "source", 0, e.source.retention(), 0, e.counters.in, 0, 0,
                        e.counters.errors, 0));
            }
            // A processor's output is not counted on the hot path: whatever it emits enters the
            // next stage (counted there as in or passedBy), minus what merely passed it by.
            for (int i = 0; i < processors.size(); i++) {
                ProcessorEntry e = processors.get(i);
                PacketProcessor p = e.processor;
                long reachedNext = i + 1 < processors.size()
                        ? processors.get(i + 1).stage.in + processors.get(i + 1).stage.passedBy
                        : atEmitter.in;
                long emittedByStage = Math.max(0, reachedNext - e.stage.passedBy);
                stages.add(new StageStats(p.name(), "processor", e.order, p.retention(), e.stage.in, emittedByStage,
                        e.stage.passedBy, p.droppedCount(), e.stage.errors, p.queueDepth()));
            }
            for (SinkEntry e : sinks) {
                stages.add(new StageStats(e.name, "sink", 0, e.retention, e.counters.in, 0, 0, 0, e.counters.errors, 0));
            }
            return new StreamStats(name, state, written.in, droppedInactive.get(), lateAfterClose.get() + late,
                    atEmitter.in - late, stages);
        }
    }

    /** The topology with each stage's figures, one line a stage. */
    public String describe() {
        StreamStats st = stats();
        StringBuilder b = new StringBuilder();
        b.append("PacketStream '").append(name).append("' ").append(st.state())
                .append(": written=").append(st.written())
                .append(" emitted=").append(st.emitted())
                .append(" droppedInactive=").append(st.droppedInactive())
                .append(" lateAfterClose=").append(st.lateAfterClose()).append('\n');
        for (StageStats s : st.stages()) {
            b.append(String.format("  %-9s %-11s %-24s", s.kind(),
                    s.kind().equals("processor") ? "order " + s.order() : "", "'" + s.stage() + "'"));
            if (s.retention() != null) {
                b.append(' ').append(s.retention());
            }
            if (!s.kind().equals("source")) {
                b.append(" in=").append(s.in());
            }
            if (!s.kind().equals("sink")) {
                b.append(" out=").append(s.out());
            }
            if (s.passedBy() > 0) {
                b.append(" passedBy=").append(s.passedBy());
            }
            if (s.dropped() > 0 || s.queueDepth() > 0) {
                b.append(" dropped=").append(s.dropped()).append(" depth=").append(s.queueDepth());
            }
            if (s.errors() > 0) {
                b.append(" errors=").append(s.errors());
            }
            b.append('\n');
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "PacketStream('" + name + "', " + state + ")";
    }

    // ------------------------------------------------------------------ internals

    private void transition(StreamState to) {
        StreamState from;
        synchronized (stateMonitor) {
            from = state;
            state = to;
            stateMonitor.notifyAll();
        }
        fireState(from, to);
    }

    private void fireState(StreamState from, StreamState to) {
        for (StateListener l : stateListeners) {
            try {
                l.onStateChange(this, from, to);
            } catch (RuntimeException e) {
                log.warn("state listener of stream '{}' threw", name, e);
            }
        }
    }

    private boolean onOwnDeliveryThread() {
        for (ProcessorEntry e : processors) {
            if (e.processor.isDeliveryThread()) {
                return true;
            }
        }
        return false;
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

    private void requireTopologyChangeAllowed(String what) {
        StreamState s = state;
        if (!s.allowsTopologyChange()) {
            throw new IllegalStateException("cannot " + what + " on stream '" + name + "' while it is " + s
                    + (s == StreamState.CLOSED ? ": a closed stream is done, build a new one"
                    : ": stop() it first (the topology may change only in NONE or STOPPED)"));
        }
    }

    private static Set<AttachOption> options(AttachOption[] options) {
        return options.length == 0 ? EnumSet.noneOf(AttachOption.class) : EnumSet.copyOf(Arrays.asList(options));
    }

    private static void checkCloseable(PacketStreamAdapter a, Set<AttachOption> opts) {
        if (opts.contains(AttachOption.CLOSE_WITH_STREAM) && !(a instanceof AutoCloseable)) {
            throw new IllegalArgumentException("'" + a.name() + "' cannot be attached with CLOSE_WITH_STREAM: "
                    + a.getClass().getName() + " is not AutoCloseable");
        }
    }

    private void closeQuietly(Object o) {
        try {
            ((AutoCloseable) o).close();
        } catch (Exception e) {
            log.warn("stream '{}': closing {} failed", name, o, e);
        }
    }

    private final class SourceEntry {
        final PacketStreamAdapter source;
        final boolean syncState;
        final boolean closeWithStream;
        final StageCounters counters = new StageCounters();
        final PacketSink input;

        SourceEntry(PacketStreamAdapter source, Set<AttachOption> opts) {
            this.source = source;
            this.syncState = opts.contains(AttachOption.SYNC_STATE);
            this.closeWithStream = opts.contains(AttachOption.CLOSE_WITH_STREAM);
            this.input = p -> {
                counters.in++;
                write(p);
            };
        }
    }

    static final class ProcessorEntry {
        final PacketProcessor processor;
        final ProcessorStage stage;
        final int order;
        final boolean closeWithStream;

        ProcessorEntry(PacketProcessor processor, ProcessorStage stage, int order, boolean closeWithStream) {
            this.processor = processor;
            this.stage = stage;
            this.order = order;
            this.closeWithStream = closeWithStream;
        }
    }

    static final class SinkEntry {
        final String name;
        final PacketSink sink;
        final Retention retention;
        final StageCounters counters = new StageCounters();

        SinkEntry(String name, PacketSink sink, Retention retention) {
            this.name = name;
            this.sink = sink;
            this.retention = retention;
        }
    }
}
