package dev.packetstream.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live fan-out: a processor that hands every packet to each of its branches, which are added and
 * removed while the stream runs (viewers joining and leaving), then passes the packet on to the
 * stages after it. The stream's own topology stays fixed; the group's changes at any time.
 *
 * <pre>{@code
 * BranchGroup viewers = new BranchGroup("viewers");
 * stream.attach(viewers, 30);
 * stream.start();
 * // a viewer joins:
 * viewers.branch("viewer-1", link::write)
 *        .queue(64, OverflowPolicy.DROP_TO_KEYFRAME)   // optional: its own worker and bound
 *        .onRemoved(link::close)                        // runs once when the branch leaves
 *        .add();
 * // it leaves:
 * viewers.remove("viewer-1");
 * }</pre>
 *
 * <h2>Isolation</h2>
 * A branch whose sink throws is removed (its queue closed, its {@code onRemoved} action run), its
 * error is counted and reported to the group's failure listeners as a {@link StageException}
 * naming {@code group/branch}; the other branches, the stages after the group and the stream go
 * on. A branch with a queue ({@link Spec#queue}) runs its sink on a worker of its own, so a slow
 * branch delays none of the others: its bounded queue drops by its {@link OverflowPolicy}
 * ({@link OverflowPolicy#DROP_TO_KEYFRAME} for encoded video).
 *
 * <h2>Figures</h2>
 * Each branch counts in (packets offered), out (packets its sink took), dropped (by reason) and
 * errors; {@link PacketStream#stats()} and {@link PacketStream#describe()} list the branches
 * ({@link StageKind#BRANCH}, named {@code group/branch}) after the group, and the branches that
 * left as one row {@code group/(left)} with their summed figures.
 *
 * <h2>Threads</h2>
 * {@code process} runs on the thread that delivers to the group; {@link Spec#add()},
 * {@link #remove(String)} and {@link #close()} may be called from any thread and do not wait for
 * it: a packet already being handed to a branch when it is removed may still reach its sink; no
 * packet reaches it after {@code remove} has returned and its queue's worker has finished the
 * packet in hand. {@code onRemoved} runs on the thread that removed the branch (for a failure:
 * the thread where the sink threw); hand slow work to your own executor.
 *
 * <h2>Ownership</h2>
 * {@link Retention#RETAINED}: a branch without a queue is lent the packet for its call (its sink
 * declares {@link Spec#retention}, {@link Retention#BORROWED} by default); a branch with a queue
 * copies a borrowed packet and retains a reference-counted one, and releases it after delivery or
 * when it is dropped. In checked mode each branch is lent a view of its own, so a sink that keeps a
 * packet past its call is named ({@code group/branch}) and one branch's release never ends
 * another's hold.
 */
public final class BranchGroup extends PacketProcessor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BranchGroup.class);
    private static final Branch[] NONE = new Branch[0];

    /** Copy-on-write: the writer reads it once a packet, add and remove replace it. */
    private volatile Branch[] branches = NONE;
    private final List<Consumer<StageException>> failureListeners = new CopyOnWriteArrayList<>();
    private final BranchFigures left = new BranchFigures();
    private boolean running;
    private boolean closed;

    /** A group named {@code name}; its branches are named {@code name/branch} in stats. */
    public BranchGroup(String name) {
        super(name, Retention.RETAINED);
    }

    /** Starts describing a branch; {@link Spec#add()} adds it. Names are unique within the group. */
    public Spec branch(String branchName, PacketSink sink) {
        return new Spec(branchName, sink);
    }

    /** Adds a synchronous branch: its sink runs on the thread that delivers to the group. */
    public Branch add(String branchName, PacketSink sink) {
        return branch(branchName, sink).add();
    }

    /**
     * Removes a branch: no new packets reach it, its queue (if any) drops what it holds
     * ({@link DiscardReason#CLOSED}), and its {@code onRemoved} action runs on this thread.
     *
     * @return whether a branch of that name was there
     */
    public boolean remove(String branchName) {
        Branch b = find(branchName);
        return b != null && retire(b, null);
    }

    /** The branch of that name, or null. */
    public Branch find(String branchName) {
        for (Branch b : branches) {
            if (b.name.equals(branchName)) {
                return b;
            }
        }
        return null;
    }

    /** The branches now, in the order added. */
    public List<Branch> branches() {
        return List.of(branches);
    }

    /** How many branches there are now. */
    public int size() {
        return branches.length;
    }

    /**
     * Adds a listener for branches that failed (and were removed): it gets a
     * {@link StageException} naming {@code group/branch}, on the thread where the branch failed.
     */
    public BranchGroup addFailureListener(Consumer<StageException> listener) {
        failureListeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    @Override
    public void process(Packet packet) {
        for (Branch b : branches) {
            b.offer(packet);
        }
        emit(packet);
    }

    @Override
    protected synchronized void onStart() {
        running = true;
        for (Branch b : branches) {
            b.start();
        }
    }

    /** Drains the branches' queues (each within its stop timeout) and stops their workers. */
    @Override
    protected void onStop() {
        synchronized (this) {
            running = false;
        }
        for (Branch b : branches) {
            b.stop();
        }
    }

    /** Removes every branch (their {@code onRemoved} actions run). */
    @Override
    protected void onClose() {
        close();
    }

    /** Removes every branch, running their {@code onRemoved} actions; later adds are refused. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            running = false;
        }
        for (Branch b : branches) {
            retire(b, null);
        }
    }

    @Override
    protected boolean isDeliveryThread() {
        for (Branch b : branches) {
            if (b.queue != null && b.queue.isDeliveryThread()) {
                return true;
            }
        }
        return false;
    }

    @Override
    List<StageStats> subStageStats(int order) {
        List<StageStats> rows = new ArrayList<>();
        for (Branch b : branches) {
            rows.add(b.figures.stats(b.fullName, order, b.retention(),
                    b.queue == null ? 0 : b.queue.queueDepth(), b.discardsByReason()));
        }
        synchronized (left) {
            if (left.in > 0 || left.errors > 0 || left.dropped > 0) {
                rows.add(left.stats(name() + "/(left)", order, null, 0, left.reasons()));
            }
        }
        return rows;
    }

    private synchronized Branch attach(Spec spec) {
        if (closed) {
            throw new IllegalStateException("branch group '" + name() + "' is closed: cannot add branch '" + spec.name + "'");
        }
        if (find(spec.name) != null) {
            throw new IllegalArgumentException("branch group '" + name() + "' already has a branch named '" + spec.name
                    + "'; remove it first or pick another name");
        }
        Branch b = new Branch(this, spec);
        if (running) {
            b.start();
        }
        Branch[] now = branches;
        Branch[] next = Arrays.copyOf(now, now.length + 1);
        next[now.length] = b;
        branches = next;
        return b;
    }

    /** Takes a branch out (once); {@code failure} when its sink threw. Returns whether this call removed it. */
    private boolean retire(Branch b, Throwable failure) {
        synchronized (this) {
            if (b.removed) {
                return false;
            }
            b.removed = true;
            Branch[] now = branches;
            List<Branch> keep = new ArrayList<>(now.length);
            for (Branch x : now) {
                if (x != b) {
                    keep.add(x);
                }
            }
            branches = keep.toArray(NONE);
        }
        b.closeQueue();
        synchronized (left) {
            left.add(b.figures, b.discardsByReason());
        }
        if (failure != null) {
            StageException e = new StageException(streamName(), b.fullName, failure);
            log.warn("branch '{}' failed and was removed; the other branches go on", b.fullName, failure);
            for (Consumer<StageException> l : failureListeners) {
                try {
                    l.accept(e);
                } catch (RuntimeException le) {
                    log.warn("failure listener of branch group '{}' threw", name(), le);
                }
            }
        }
        b.runOnRemoved();
        return true;
    }

    private String streamName() {
        PacketStream s = stream();
        return s == null ? name() : s.name();
    }

    boolean removeBranch(Branch b) {
        return retire(b, null);
    }

    void branchFailed(Branch b, Throwable t) {
        b.figures.errors++;
        retire(b, t);
    }

    void report(Branch b, Packet packet, DiscardReason reason) {
        PacketStream s = stream();
        if (s != null) {
            s.reportDiscard(b.fullName, packet, reason);
        }
    }

    PacketStream attachedStream() {
        return stream();
    }

    /**
     * A branch to add: its name, its sink, and optionally a queue of its own and an action that
     * runs when it leaves. {@link #add()} adds it (while the stream runs, too).
     */
    public final class Spec {
        final String name;
        final PacketSink sink;
        int capacity;
        OverflowPolicy policy;
        Runnable onRemoved;
        Runnable onKeyframeNeeded;
        Retention retention = Retention.BORROWED;

        private Spec(String name, PacketSink sink) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a branch of group '" + BranchGroup.this.name()
                        + "' needs a name: it appears in stats and errors");
            }
            this.name = name;
            this.sink = Objects.requireNonNull(sink, "sink");
        }

        /**
         * Gives the branch its own bounded queue and worker thread: the sink runs there, and a
         * full queue drops by {@code policy} (counted on the branch).
         */
        public Spec queue(int queueCapacity, OverflowPolicy overflowPolicy) {
            if (queueCapacity < 1) {
                throw new IllegalArgumentException("branch '" + name + "': queue capacity must be at least 1, was "
                        + queueCapacity);
            }
            this.capacity = queueCapacity;
            this.policy = Objects.requireNonNull(overflowPolicy, "overflowPolicy");
            return this;
        }

        /**
         * With a {@link OverflowPolicy#DROP_TO_KEYFRAME} queue: runs when the branch's queue
         * overflows and starts waiting for a keyframe (ask the sender for one), on the writing
         * thread. See {@link PacketQueue#onKeyframeNeeded(Runnable)}.
         */
        public Spec onKeyframeNeeded(Runnable action) {
            this.onKeyframeNeeded = action;
            return this;
        }

        /**
         * What the sink of a branch without a queue does with the packets it is lent (default
         * {@link Retention#BORROWED}); a sink that keeps reference-counted packets by
         * {@link Packet#retain()} declares {@link Retention#RETAINED}. Checked mode enforces it.
         */
        public Spec retention(Retention sinkRetention) {
            this.retention = Objects.requireNonNull(sinkRetention, "sinkRetention");
            return this;
        }

        /** Runs once when the branch leaves the group: removed, failed, or the group closed. */
        public Spec onRemoved(Runnable action) {
            this.onRemoved = action;
            return this;
        }

        /** Adds the branch; from now on it gets every packet the group gets. */
        public Branch add() {
            return attach(this);
        }
    }
}
