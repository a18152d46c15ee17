package dev.packetstream.core;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import dev.packetstream.core.media.EncodedVideoPacket;
import org.jctools.queues.MpmcArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A queue boundary: the base of {@link AsyncPacketQueue} and {@link SyncPacketQueue}.
 *
 * <h2>Ownership</h2>
 * {@link Retention#CLONED}: before the hop a borrowed packet is copied and a reference-counted one
 * retained (its reference is released after delivery, or when it is dropped). Owned packets are
 * handed over as they are: their makers do not change them after emitting.
 *
 * <h2>Bound and overflow</h2>
 * The queue holds at most {@link #capacity()} packets (the requested capacity rounded up to a
 * power of two, at least 2). When it is full the {@link OverflowPolicy} decides: drop the oldest
 * (default), drop the newest, or block the writer (which yields and retries
 * {@value #WRITER_YIELDS} times, then parks until the worker makes room), or drop everything
 * waiting and then encoded video up to the next keyframe ({@link OverflowPolicy#DROP_TO_KEYFRAME}).
 * Every drop goes through {@link #discardHeld(Packet, DiscardReason)} and is counted by reason
 * ({@link #droppedCount()}, {@link #discardedCount(DiscardReason)}): each packet written is
 * either delivered or counted as discarded, exactly once.
 *
 * <h2>Stop and close</h2>
 * On stop the queue drains what it holds, waiting at most {@link #stopTimeout(Duration)} (or
 * drops it at once with {@code drainOnStop(false)}); what is left after the timeout is dropped and
 * counted. On close what it holds is dropped and counted, and blocked writers are released.
 */
public abstract class PacketQueue extends PacketProcessor {
    private static final Logger log = LoggerFactory.getLogger(PacketQueue.class);
    /** BLOCK: how often a writer yields and retries before it parks until there is room. */
    static final int WRITER_YIELDS = 64;

    private final MpmcArrayQueue<Packet> buffer;
    private final OverflowPolicy policy;
    private final ReentrantLock spaceLock = new ReentrantLock();
    private final Condition notFull = spaceLock.newCondition();
    private final AtomicInteger waitingWriters = new AtomicInteger();
    /** Set while the consumer takes and hands a packet downstream (lazily: no extra fence on the hot path). */
    private final AtomicBoolean delivering = new AtomicBoolean();
    private volatile boolean accepting;
    private volatile Duration stopTimeout = Duration.ofSeconds(2);
    private volatile boolean drainOnStop = true;
    /** DROP_TO_KEYFRAME: set when the queue overflowed, until a video keyframe arrives. */
    private volatile boolean waitingForKeyframe;
    private volatile Runnable keyframeNeeded;

    protected PacketQueue(String name, int capacity, OverflowPolicy policy) {
        super(name, Retention.CLONED);
        if (capacity < 1) {
            throw new IllegalArgumentException("queue '" + name + "': capacity must be at least 1, was " + capacity);
        }
        if (policy == null) {
            throw new IllegalArgumentException("queue '" + name + "': an overflow policy is required");
        }
        this.buffer = new MpmcArrayQueue<>(Math.max(2, capacity));
        this.policy = policy;
    }

    /** How many packets the queue holds at most. */
    public final int capacity() {
        return buffer.capacity();
    }

    /** What the queue does when full. */
    public final OverflowPolicy overflowPolicy() {
        return policy;
    }

    /** How long a stop waits for the queue to drain before dropping the rest (default 2 s). */
    public final PacketQueue stopTimeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("queue '" + name() + "': stop timeout must not be negative");
        }
        this.stopTimeout = timeout;
        return this;
    }

    /**
     * {@link OverflowPolicy#DROP_TO_KEYFRAME}: runs when the queue overflows and starts dropping
     * encoded video until the next keyframe, on the writing thread (for example to ask the sender
     * for a keyframe, so that the wait is short). Must be quick and must not throw.
     */
    public final PacketQueue onKeyframeNeeded(Runnable action) {
        this.keyframeNeeded = action;
        return this;
    }

    private void keyframeNeeded() {
        Runnable r = keyframeNeeded;
        if (r != null) {
            try {
                r.run();
            } catch (RuntimeException e) {
                log.warn("queue '{}': onKeyframeNeeded threw", name(), e);
            }
        }
    }

    /** Whether a stop drains the queue (default) or drops what it holds at once. */
    public final PacketQueue drainOnStop(boolean drain) {
        this.drainOnStop = drain;
        return this;
    }

    /** Packets this queue discarded, all reasons together (as {@link #discardedCount()}). */
    public final long droppedCount() {
        return discardedCount();
    }

    @Override
    public final int queueDepth() {
        return buffer.size();
    }

    /** Copies or retains the packet, then queues it by the overflow policy. */
    @Override
    public void process(Packet packet) {
        enqueue(hold(packet));
    }

    /** Takes this queue's own hold on a packet: a retain, a copy, or the owned packet itself. */
    static Packet hold(Packet packet) {
        if (packet.isRefCounted()) {
            return packet.retain();
        }
        return packet.isBorrowed() ? packet.copy() : packet;
    }

    final void enqueue(Packet held) {
        if (!accepting) {
            discardHeld(held, DiscardReason.INACTIVE);
            return;
        }
        if (policy == OverflowPolicy.DROP_TO_KEYFRAME && waitingForKeyframe && skipUntilKeyframe(held)) {
            return;
        }
        if (!buffer.offer(held)) {
            switch (policy) {
                case DROP_NEWEST -> {
                    discardHeld(held, DiscardReason.OVERFLOW);
                    return;
                }
                case DROP_OLDEST -> {
                    do {
                        Packet oldest = buffer.poll();
                        if (oldest != null) {
                            discardHeld(oldest, DiscardReason.OVERFLOW);
                        }
                    } while (!buffer.offer(held));
                }
                case DROP_TO_KEYFRAME -> {
                    boolean wasWaiting = waitingForKeyframe;
                    waitingForKeyframe = true;
                    boolean skipped = false;
                    do {
                        discardQueued(DiscardReason.OVERFLOW);
                        if (skipUntilKeyframe(held)) {
                            skipped = true;
                            break;
                        }
                    } while (!buffer.offer(held));
                    if (!wasWaiting && waitingForKeyframe) {
                        keyframeNeeded();
                    }
                    if (skipped) {
                        return;
                    }
                }
                case BLOCK -> {
                    if (!awaitSpace(held)) {
                        return;
                    }
                }
            }
        }
        wakeConsumer();
    }

    /**
     * DROP_TO_KEYFRAME while waiting: discards encoded video that is not a keyframe (it cannot be
     * decoded without what was dropped) and returns true; a keyframe ends the wait. Other packets
     * (audio, raw frames) do not depend on earlier ones and are queued as usual.
     */
    private boolean skipUntilKeyframe(Packet held) {
        if (!(held instanceof EncodedVideoPacket video)) {
            return false;
        }
        if (video.isKeyframe()) {
            waitingForKeyframe = false;
            return false;
        }
        discardHeld(held, DiscardReason.WAITING_FOR_KEYFRAME);
        return true;
    }

    private boolean awaitSpace(Packet held) {
        // A full queue is usually drained within microseconds: retry briefly before parking, so
        // that writer and worker do not hand off through the lock for every packet.
        for (int i = 0; i < WRITER_YIELDS; i++) {
            Thread.yield();
            if (buffer.offer(held)) {
                return true;
            }
            if (!accepting) {
                discardHeld(held, DiscardReason.INACTIVE);
                return false;
            }
        }
        spaceLock.lock();
        waitingWriters.incrementAndGet();
        try {
            while (!buffer.offer(held)) {
                if (!accepting) {
                    discardHeld(held, DiscardReason.INACTIVE);
                    return false;
                }
                try {
                    notFull.await(10, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    discardHeld(held, DiscardReason.INACTIVE);
                    return false;
                }
            }
            return true;
        } finally {
            waitingWriters.decrementAndGet();
            spaceLock.unlock();
        }
    }

    private void signalSpace() {
        spaceLock.lock();
        try {
            notFull.signalAll();
        } finally {
            spaceLock.unlock();
        }
    }

    /**
     * Consumer side: the next packet, or null when empty; wakes blocked writers when it made room.
     */
    final Packet poll() {
        Packet p = buffer.poll();
        if (p != null && waitingWriters.get() > 0) {
            signalSpace();
        }
        return p;
    }

    final boolean isEmpty() {
        return buffer.isEmpty();
    }

    /**
     * Consumer side: the next packet to deliver, or null. Marks the consumer as delivering
     * <em>before</em> it takes the packet (the poll's CAS orders the two), so that a stop that
     * finds the queue empty also finds the packet in flight and waits for it.
     */
    final Packet take() {
        delivering.lazySet(true);
        Packet p = poll();
        if (p == null) {
            delivering.lazySet(false);
        }
        return p;
    }

    /** Consumer side: emits a packet from {@link #take()} downstream, then gives back the queue's hold. */
    final void deliver(Packet held) {
        try {
            emit(held);
        } catch (Throwable t) {
            log.error("queue '{}': delivery failed", name(), t);
        } finally {
            held.release();
            delivering.lazySet(false);
        }
    }

    /** Discards everything waiting, for {@code reason}; wakes blocked writers. */
    final void discardQueued(DiscardReason reason) {
        Packet p;
        while ((p = buffer.poll()) != null) {
            discardHeld(p, reason);
        }
        if (waitingWriters.get() > 0) {
            signalSpace();
        }
    }

    /** Tells the consumer there is work. */
    abstract void wakeConsumer();

    /** Drains inline when the calling thread may deliver (e.g. it is the loop); false otherwise. */
    abstract boolean drainInline();

    @Override
    protected void onStart() {
        waitingForKeyframe = false;
        accepting = true;
    }

    @Override
    protected void onStop() {
        if (drainOnStop && !drainInline()) {
            long deadline = System.nanoTime() + stopTimeout.toNanos();
            while ((!buffer.isEmpty() || delivering.get()) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(200_000);
            }
        }
        int left = buffer.size();
        if (left > 0) {
            if (drainOnStop) {
                log.warn("queue '{}' did not drain within {}: dropping {} packets", name(), stopTimeout, left);
            }
            discardQueued(DiscardReason.INACTIVE);
        }
        accepting = false;
        if (waitingWriters.get() > 0) {
            signalSpace();
        }
    }

    @Override
    protected void onClose() {
        accepting = false;
        discardQueued(DiscardReason.CLOSED);
    }
}
