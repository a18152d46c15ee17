package dev.packetstream.core;

import dev.packetstream.core.StreamTopology.SourceEntry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

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
 * {@link IllegalStateException}. Stop and tear down in the reverse direction. For consumers that
 * come and go while the stream runs (viewers), attach a {@link BranchGroup}.
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
 *
 * <h2>Drops</h2>
 * Every packet written is delivered, or discarded and counted with a {@link DiscardReason}: by
 * the stream (written while not active, late after close) or by a stage
 * ({@link PacketStreamAdapter#discard(Packet, DiscardReason)}). {@link #stats()} and
 * {@link #describe()} show the counts; {@link #addDiscardListener(DiscardListener)} sees each one.
 */
public final class PacketStream implements AutoCloseable {
    /** A state transition. */
    @FunctionalInterface
    public interface StateListener {
        /** Called on the thread that made the transition. */
        void onStateChange(PacketStream stream, StreamState from, StreamState to);
    }

    private final String name;
    private final StreamTopology topology;
    private final StreamLifecycle life;
    /** Read by every write (the data path's only synchronisation); written only by {@link StreamLifecycle}. */
    volatile StreamState state = StreamState.NONE;

    /** The first stage; written before the volatile write of ACTIVE, read after reading ACTIVE. */
    private PacketSink head;
    private volatile boolean finalReached;

    /** Packets written (the writers' side). */
    private final StageCounters written = new StageCounters();
    /** Packets that reached the emitter, delivered or (after close) dropped. */
    private final StageCounters atEmitter = new StageCounters();
    private final StreamDiscards discards;
    private final PacketSink writeEntry = this::write;

    /** A stream named {@code name} (the name appears in stats, {@link #describe()} and errors). */
    public PacketStream(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a stream needs a name: it appears in stats and errors");
        }
        this.name = name;
        this.topology = new StreamTopology(name);
        this.life = new StreamLifecycle(this, topology);
        this.discards = new StreamDiscards(name);
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
        return life.lastError();
    }

    /** Whether a stage's error closes the stream (true by default). */
    public PacketStream closeOnError(boolean close) {
        life.closeOnError(close);
        return this;
    }

    // ------------------------------------------------------------------ topology

    /**
     * Attaches a source: whatever it emits is written into this stream. With
     * {@link AttachOption#SYNC_STATE} the stream starts and stops it.
     */
    public PacketStream attachSource(PacketStreamAdapter source, AttachOption... options) {
        Set<AttachOption> opts = StreamTopology.sourceOptions(source, options);
        synchronized (life.lock) {
            life.requireTopologyChangeAllowed("attach source '" + source.name() + "'");
            source.attachTo(this);
            SourceEntry entry = topology.addSource(source, opts, writeEntry);
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
        Set<AttachOption> opts = StreamTopology.processorOptions(processor, options);
        synchronized (life.lock) {
            life.requireTopologyChangeAllowed("attach processor '" + processor.name() + "'");
            processor.attachTo(this);
            topology.addProcessor(new StreamTopology.ProcessorEntry(processor, new ProcessorStage(this, processor), order,
                    opts.contains(AttachOption.CLOSE_WITH_STREAM)));
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
        synchronized (life.lock) {
            life.requireTopologyChangeAllowed("detach '" + adapter.name() + "'");
            boolean removed = topology.remove(adapter);
            if (removed) {
                adapter.detach();
            }
            return removed;
        }
    }

    /**
     * Adds a sink under a generated name, {@code sink-<n>}: n counts the unnamed sinks added so
     * far, so a name is never handed out twice (removing {@code sink-0} frees no number).
     */
    public PacketStream addSink(PacketSink sink) {
        synchronized (life.lock) {
            life.requireTopologyChangeAllowed("add a sink");
            return addSink(topology.nextSinkName(), sink);
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
        synchronized (life.lock) {
            life.requireTopologyChangeAllowed("add sink '" + sinkName + "'");
            topology.addSink(sinkName, sink, retention);
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
        synchronized (life.lock) {
            life.requireTopologyChangeAllowed("remove sink '" + sinkName + "'");
            return topology.removeSink(sinkName);
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

    /** Wires the stages for a start (under the lifecycle lock). */
    void wire() {
        head = topology.wire(this);
    }

    // ------------------------------------------------------------------ data path

    /**
     * Writes one packet into the stream, synchronously through every stage up to the first queue
     * boundary. While the stream is not {@link StreamState#ACTIVE} the packet is discarded and
     * counted ({@link DiscardReason#CLOSED} after close, {@link DiscardReason#INACTIVE} otherwise).
     */
    public void write(Packet packet) {
        if (state != StreamState.ACTIVE) {
            discards.rejected(packet, state == StreamState.CLOSED);
            return;
        }
        written.in++;
        head.accept(packet);
        if (finalReached) {
            finalReached = false;
            stop();
        }
    }

    /** The emitter saw a FINAL packet go through to the sinks. */
    void onFinalDelivered() {
        if (topology.onDeliveryThread()) {
            stopAsync();
        } else {
            finalReached = true;
        }
    }

    /** A packet reached the emitter after close or failure (e.g. from a queue's worker): discarded. */
    void onLateAtEmitter(Packet packet) {
        discards.lateAtEmitter(packet);
    }

    /** Tells the discard listeners of a stage's discard. */
    void reportDiscard(String stage, Packet packet, DiscardReason reason) {
        discards.report(stage, packet, reason);
    }

    /** The emitter's side: counts packets reaching it (kept apart from the writers' counter). */
    StageCounters emitterCounters() {
        return atEmitter;
    }

    /** A stage failed: moves to ERROR, tells listeners, closes (by default). */
    void fail(String stage, Throwable cause) {
        life.fail(stage, cause, false);
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
        life.start();
    }

    /** Pauses an active stream: writes are dropped and counted until {@link #resume()}. */
    public void pause() {
        life.pause();
    }

    /** Resumes a paused stream. */
    public void resume() {
        life.resume();
    }

    /**
     * Stops the stream in order: sources, then each processor's {@code onStop} (queues drain,
     * processors flush), then STOPPED. Stopping a stream that is not running does nothing. Called
     * from one of this stream's own queue threads, it completes on a control thread instead.
     */
    public void stop() {
        life.stop();
    }

    /** {@link #stop()} on a control thread. */
    public CompletableFuture<Void> stopAsync() {
        return life.stopAsync();
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
        life.close();
    }

    /** {@link #close()} on a control thread. */
    public CompletableFuture<Void> closeAsync() {
        return life.closeAsync();
    }

    /**
     * Waits until the stream is in {@code target} (or closed, which no state follows).
     *
     * @return whether the stream reached {@code target} in time
     */
    public boolean awaitState(StreamState target, Duration timeout) throws InterruptedException {
        return life.awaitState(target, timeout);
    }

    /** Adds a state listener; it runs on the thread that made the transition. */
    public PacketStream addStateListener(StateListener listener) {
        life.addStateListener(listener);
        return this;
    }

    /** Adds an error listener; it runs on the thread where the stage failed. */
    public PacketStream addErrorListener(Consumer<StageException> listener) {
        life.addErrorListener(listener);
        return this;
    }

    /**
     * Adds a discard listener: it sees every packet this stream or one of its stages discards,
     * on the discarding thread (see {@link DiscardListener}).
     */
    public PacketStream addDiscardListener(DiscardListener listener) {
        discards.addListener(listener);
        return this;
    }

    // ------------------------------------------------------------------ figures

    /** A snapshot of the stream's and every stage's counters. */
    public StreamStats stats() {
        synchronized (life.lock) {
            List<StageStats> stages = topology.stageStats(atEmitter.in);
            return new StreamStats(name, state, written.in, discards.inactive(), discards.late(),
                    atEmitter.in - discards.lateAtEmitter(), stages, discards.byReason());
        }
    }

    /** The topology with each stage's figures, one line a stage: {@link StreamStats#describe()}. */
    public String describe() {
        return stats().describe();
    }

    @Override
    public String toString() {
        return "PacketStream('" + name + "', " + state + ")";
    }

}
