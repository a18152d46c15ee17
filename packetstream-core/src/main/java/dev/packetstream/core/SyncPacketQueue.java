package dev.packetstream.core;

import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A queue boundary onto an {@link EventLoop}: the stages after this queue run on the loop's
 * thread. {@link PacketStream#synchronizeOutput(EventLoop)} puts one at the end of a graph.
 *
 * <h2>Threads</h2>
 * Any number of writers. A writer that is itself on the loop thread needs no hop: the queue
 * delivers what it holds, then the packet, right away on that thread. Otherwise the packet is
 * queued and one drain task at a time runs on the loop, delivering up to {@value #BATCH} packets
 * before it yields the loop to other tasks.
 *
 * <p>Ownership, bound, overflow and stop behaviour: see {@link PacketQueue}. A stop called on the
 * loop thread drains inline.
 */
public final class SyncPacketQueue extends PacketQueue {
    static final int BATCH = 256;
    /** The default capacity. */
    public static final int DEFAULT_CAPACITY = 1024;

    private final EventLoop loop;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drainOnLoop;
    private volatile boolean inDrainTask;

    /** A queue onto {@code loop} holding {@code capacity} packets, dropping the oldest when full. */
    public SyncPacketQueue(String name, EventLoop loop, int capacity) {
        this(name, loop, capacity, OverflowPolicy.DROP_OLDEST);
    }

    /** A queue onto {@code loop} holding {@code capacity} packets with the given overflow policy. */
    public SyncPacketQueue(String name, EventLoop loop, int capacity, OverflowPolicy policy) {
        super(name, capacity, policy);
        this.loop = Objects.requireNonNull(loop, "loop");
    }

    /** The loop this queue delivers on. */
    public EventLoop loop() {
        return loop;
    }

    @Override
    public void process(Packet packet) {
        if (loop.inEventLoop()) {
            drainNow();
            emit(packet);
            return;
        }
        super.process(packet);
    }

    @Override
    void wakeConsumer() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                loop.execute(drainTask);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
                discardQueued(DiscardReason.CLOSED); // the loop is shut down
            }
        }
    }

    @Override
    boolean drainInline() {
        if (!loop.inEventLoop()) {
            return false;
        }
        drainNow();
        return true;
    }

    @Override
    protected boolean isDeliveryThread() {
        return inDrainTask && loop.inEventLoop();
    }

    private void drainOnLoop() {
        scheduled.set(false);
        inDrainTask = true;
        try {
            for (int n = 0; n < BATCH; n++) {
                Packet p = take();
                if (p == null) {
                    return;
                }
                deliver(p);
            }
        } finally {
            inDrainTask = false;
        }
        if (!isEmpty()) {
            wakeConsumer();
        }
    }

    private void drainNow() {
        Packet p;
        while ((p = take()) != null) {
            deliver(p);
        }
    }
}
