package dev.packetstream.core;

import java.util.EnumMap;
import java.util.Map;

/**
 * One branch of a {@link BranchGroup}: a sink, optionally behind a queue of its own, with its
 * figures. Made by {@link BranchGroup.Spec#add()}.
 *
 * <h2>Threads</h2>
 * The figures may be read from any thread; in and out are plain counters (exact with one
 * delivering thread, like the stream's), drops are exact.
 */
public final class Branch {
    private final BranchGroup group;
    final String name;
    final String fullName;
    private final PacketSink sink;
    /** Null for a synchronous branch. */
    final AsyncPacketQueue queue;
    private final Runnable onRemoved;
    /** The sink's retention (a branch without a queue), or CLONED: the queue's. */
    private final Retention retention;
    final BranchFigures figures = new BranchFigures();
    /** The branch's own drops (after it was removed); its queue counts the others. */
    private final Discards discards = new Discards();
    volatile boolean removed;

    Branch(BranchGroup group, BranchGroup.Spec spec) {
        this.group = group;
        this.name = spec.name;
        this.fullName = group.name() + "/" + spec.name;
        this.sink = spec.sink;
        this.onRemoved = spec.onRemoved;
        this.retention = spec.policy == null ? spec.retention : Retention.CLONED;
        this.queue = spec.policy == null ? null : new AsyncPacketQueue(fullName, spec.capacity, spec.policy);
        if (queue != null && spec.onKeyframeNeeded != null) {
            queue.onKeyframeNeeded(spec.onKeyframeNeeded);
        }
    }

    /** The branch's name within its group. */
    public String name() {
        return name;
    }

    /** Packets offered to the branch. */
    public long in() {
        return figures.in;
    }

    /** Packets its sink took without throwing. */
    public long out() {
        return figures.out;
    }

    /** Exceptions its sink threw (a failing branch is removed at its first). */
    public long errors() {
        return figures.errors;
    }

    /** Packets the branch discarded, all reasons together (its queue's drops included). */
    public long dropped() {
        long n = discards.total();
        return queue == null ? n : n + queue.discardedCount();
    }

    /** Packets the branch discarded for {@code reason}. */
    public long dropped(DiscardReason reason) {
        long n = discards.get(reason);
        return queue == null ? n : n + queue.discardedCount(reason);
    }

    /** What the branch declares: its queue's {@link Retention#CLONED}, or its sink's retention. */
    public Retention retention() {
        return retention;
    }

    /** Packets waiting in the branch's queue (0 without one). */
    public int queueDepth() {
        return queue == null ? 0 : queue.queueDepth();
    }

    /** Whether the branch has left its group (removed, failed, or the group closed). */
    public boolean isRemoved() {
        return removed;
    }

    /** Removes this branch from its group (as {@link BranchGroup#remove(String)}); false when it had left already. */
    public boolean remove() {
        return group.removeBranch(this);
    }

    void offer(Packet packet) {
        if (removed) {
            discards.count(DiscardReason.CLOSED);
            group.report(this, packet, DiscardReason.CLOSED);
            return;
        }
        figures.in++;
        if (Ownership.CHECKED && packet.needsLease()) {
            offerLent(packet);
        } else if (queue != null) {
            queue.process(packet);
        } else {
            deliver(packet);
        }
    }

    /**
     * Checked mode: each branch is lent a view of its own, so that one branch's retain and release
     * never end another's hold, and a sink that keeps a packet past its call is named.
     */
    private void offerLent(Packet packet) {
        PacketStream s = group.attachedStream();
        Packet view = packet.lend(s == null ? group.name() : s.name(), fullName, retention);
        try {
            if (queue != null) {
                queue.process(view);
            } else {
                deliver(view);
            }
        } finally {
            view.expire();
        }
    }

    private void deliver(Packet packet) {
        try {
            sink.accept(packet);
            figures.out++;
        } catch (Throwable t) {
            group.branchFailed(this, t);
            if (t instanceof VirtualMachineError vme) {
                throw vme;
            }
        }
    }

    void start() {
        if (queue == null) {
            return;
        }
        PacketStream s = group.attachedStream();
        queue.detach();
        if (s != null) {
            queue.attachTo(s); // its drops reach the stream's discard listeners, named group/branch
        }
        queue.connect(this::deliver);
        queue.onStart();
    }

    void stop() {
        if (queue != null) {
            queue.onStop();
        }
    }

    void closeQueue() {
        if (queue != null) {
            queue.onClose();
        }
    }

    void runOnRemoved() {
        if (onRemoved != null) {
            try {
                onRemoved.run();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(BranchGroup.class).warn("onRemoved of branch '{}' threw", fullName, e);
            }
        }
    }

    Map<DiscardReason, Long> discardsByReason() {
        Map<DiscardReason, Long> m = new EnumMap<>(DiscardReason.class);
        m.putAll(discards.snapshot());
        if (queue != null) {
            queue.discards().snapshot().forEach((r, n) -> m.merge(r, n, Long::sum));
        }
        return m;
    }

    @Override
    public String toString() {
        return "Branch('" + fullName + "'" + (queue == null ? "" : ", queue " + queue.capacity() + " " + queue.overflowPolicy())
                + (removed ? ", removed" : "") + ")";
    }
}
