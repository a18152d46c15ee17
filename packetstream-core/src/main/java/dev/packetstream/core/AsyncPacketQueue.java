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
 * An empty queue's worker spins briefly ({@value #SPINS} spin-waits, then {@value #YIELDS} yields:
 * microseconds, to catch the next packet of a busy stream cheaply), then parks until a writer
 * wakes it: an idle queue uses no CPU.
 *
 * <p>Ownership, bound, overflow and stop behaviour: see {@link PacketQueue}.
 */
public final class AsyncPacketQueue extends PacketQueue {
    static final int SPINS = 200;
    static final int YIELDS = 20;
    /** The default capacity. */
    public static final int DEFAULT_CAPACITY = 1024;

    private volatile Thread worker;
    private volatile boolean running;
    private volatile boolean parked;

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
        for (int i = 0; i < YIELDS; i++) {
            if (!isEmpty() || !running) {
                return;
            }
            Thread.yield();
        }
        parked = true;
        try {
            if (isEmpty() && running) {
                LockSupport.park(this);
            }
        } finally {
            parked = false;
        }
    }
}
