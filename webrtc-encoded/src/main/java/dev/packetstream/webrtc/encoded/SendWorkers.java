package dev.packetstream.webrtc.encoded;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A runtime's shared push threads: they carry every connected send track's packets from its queue
 * into its chain ({@link SendTrack#drain}), so that a packet fanned out to many viewers wakes a
 * thread or two, not two threads per viewer (app sources' streaming threads did: perf on 2 Dec
 * 2026 at 25 relay viewers put ~19% of those threads' CPU in sleeping and waking them; ~6% with
 * these threads).
 *
 * <h2>Threads</h2>
 * {@link #CORE} threads per runtime ({@code gst-send-<runtime>-N}, daemon), started on first use. A
 * track is drained by one thread at a time, in order. A chain that blocks (nothing in a connected
 * webrtcbin send chain should) holds only the thread pushing into it: when every thread has been
 * inside one push for longer than {@link #STUCK_NS}, another thread is started for the others (it
 * ends again after {@link #IDLE_EXIT_S} idle seconds). {@link #close()} ends the threads.
 */
final class SendWorkers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SendWorkers.class);
    static final int CORE = Math.max(2, Runtime.getRuntime().availableProcessors());
    static final long STUCK_NS = 200_000_000L;
    static final int IDLE_EXIT_S = 10;
    private static final int MAX_THREADS = 256;

    private final String name;
    private final LinkedBlockingQueue<SendTrack> ready = new LinkedBlockingQueue<>();
    private final List<Worker> workers = new CopyOnWriteArrayList<>();
    private final AtomicInteger numbers = new AtomicInteger();
    private volatile boolean closed;

    SendWorkers(String runtimeName) {
        this.name = runtimeName;
    }

    /** Any thread: {@code track} has packets to push (its caller marked it scheduled; it is drained once). */
    void schedule(SendTrack track) {
        if (closed) {
            track.discardQueued();
            return;
        }
        ready.add(track);
        if (workers.size() < CORE || allStuck()) {
            synchronized (workers) {
                if (!closed && (workers.size() < CORE || allStuck()) && workers.size() < MAX_THREADS) {
                    Worker w = new Worker(workers.size() >= CORE);
                    workers.add(w);
                    w.thread.start();
                }
            }
        }
    }

    private boolean allStuck() {
        long now = System.nanoTime();
        for (Worker w : workers) {
            long since = w.busySince;
            if (since == 0 || now - since < STUCK_NS) {
                return false;
            }
        }
        return true;
    }

    int threads() {
        return workers.size();
    }

    /** Ends the threads (after the runtime's sessions closed: nothing is scheduled any more). Idempotent. */
    @Override
    public void close() {
        closed = true;
        synchronized (workers) {
            for (Worker w : workers) {
                w.thread.interrupt();
            }
        }
        SendTrack t;
        while ((t = ready.poll()) != null) {
            t.discardQueued();
        }
    }

    private final class Worker implements Runnable {
        final Thread thread;
        final boolean extra;
        volatile long busySince;

        Worker(boolean extra) {
            this.extra = extra;
            this.thread = new Thread(this, "gst-send-" + name + "-" + numbers.incrementAndGet());
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            try {
                while (!closed) {
                    SendTrack t = extra ? ready.poll(IDLE_EXIT_S, TimeUnit.SECONDS) : ready.take();
                    if (t == null) {
                        return; // an extra thread that has been idle: the stuck push it stood in for is over
                    }
                    busySince = System.nanoTime() | 1;
                    try {
                        t.drain(SendWorkers.this);
                    } catch (RuntimeException e) {
                        log.warn("send thread of runtime '{}': pushing track {} failed", name, t, e);
                    } finally {
                        busySince = 0;
                    }
                }
            } catch (InterruptedException e) {
                // closing
            } finally {
                workers.remove(this);
            }
        }
    }
}
