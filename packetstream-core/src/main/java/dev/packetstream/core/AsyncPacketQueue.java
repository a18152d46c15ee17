package dev.packetstream.core;

import java.util.concurrent.locks.LockSupport;

/**
 * A queue boundary onto a worker thread of its own: the writer's thread only copies (or retains)
 * and queues; the stages after this queue run on the worker. Use it when the source thread should
 * stay light, before expensive work (decode, encode, detection), or to serialise several writers
 * in front of a processor that is not thread safe.
 *
 * <h2>Threads</h2>
 * Any number of writers; one worker thread, named after the queue, started when the stream starts
 * and ended when it stops. Downstream stages run on the worker, one packet at a time, in queue
 * order.
 *
 * <h2>Waiting</h2>
 * An empty queue's worker spins briefly ({@value #SPINS} spin-waits, then up to {@value #YIELDS}
 * yields: microseconds, to catch the next packet of a busy stream cheaply), then parks until a
 * writer wakes it: an idle queue uses no CPU. The yields adapt to the stream: each one is a system
 * call (and, on a busy machine, a context switch), so when a wait outlasts them they are halved for
 * the next wait, down to none; when a parked wait turns out shorter than {@value #SHORT_PARK_NANOS}
 * ns (yielding would have caught the packet) they are doubled again. A stream of a few hundred
 * packets a second (a recording: ~170 RTP packets, ~80 frames) thus parks at once instead of
 * making ~1300 yields a second, measured on 2 Dec 2026; a busy stream keeps yielding.
 *
 * <p>Ownership, bound, overflow and stop behaviour: see {@link PacketQueue}.
 */
public final class AsyncPacketQueue extends PacketQueue {
    static final int SPINS = 200;
    static final int YIELDS = 20;
    /** A parked wait shorter than this means yielding would have caught the packet. */
    static final long SHORT_PARK_NANOS = 50_000;
    /** The default capacity. */
    public static final int DEFAULT_CAPACITY = 1024;

    private volatile Thread worker;
    private volatile boolean running;
    private volatile boolean parked;
    /** How many times the worker yields in its next wait (worker thread only, read by tests). */
    private int yieldBudget = YIELDS;

    /** A queue named {@code name} holding {@code capacity} packets, dropping the oldest when full. */
    public AsyncPacketQueue(String name, int capacity) {
        this(name, capacity, OverflowPolicy.DROP_OLDEST);
    }

    /** A queue named {@code name} holding {@code capacity} packets with the given overflow policy. */
    public AsyncPacketQueue(String name, int capacity, OverflowPolicy policy) {
        super(name, capacity, policy);
    }

    @Override
    void wakeConsumer() {
        if (parked) {
            LockSupport.unpark(worker);
        }
    }

    @Override
    boolean drainInline() {
        return false;
    }

    @Override
    protected boolean isDeliveryThread() {
        return Thread.currentThread() == worker;
    }

    @Override
    protected void onStart() {
        super.onStart();
        running = true;
        Thread t = new Thread(this::runWorker, "packetstream-queue-" + name());
        t.setDaemon(true);
        worker = t;
        t.start();
    }

    @Override
    protected void onStop() {
        super.onStop();
        stopWorker();
    }

    @Override
    protected void onClose() {
        super.onClose();
        stopWorker();
    }

    private void stopWorker() {
        running = false;
        Thread t = worker;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private void runWorker() {
        while (running) {
            Packet p = take();
            if (p == null) {
                idle();
            } else {
                deliver(p);
            }
        }
    }

    private void idle() {
        for (int i = 0; i < SPINS; i++) {
            if (!isEmpty() || !running) {
                return;
            }
            Thread.onSpinWait();
        }
        for (int i = 0; i < yieldBudget; i++) {
            if (!isEmpty() || !running) {
                return;
            }
            Thread.yield();
        }
        yieldBudget /= 2; // the yields did not catch this packet: fewer next time
        parked = true;
        try {
            if (isEmpty() && running) {
                long t0 = System.nanoTime();
                LockSupport.park(this);
                if (System.nanoTime() - t0 < SHORT_PARK_NANOS) {
                    yieldBudget = Math.min(YIELDS, Math.max(1, yieldBudget * 2));
                }
            }
        } finally {
            parked = false;
        }
    }

    /** The yields of the worker's next wait (for tests; racy when read from another thread). */
    int yieldBudget() {
        return yieldBudget;
    }
}
