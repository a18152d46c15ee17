package dev.packetstream.core;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds reference-counted packets that were garbage collected without their last
 * {@link Packet#release()} (the idea of Netty's ResourceLeakDetector).
 *
 * <p>Checked mode tracks every reference-counted packet in the {@link #global()} detector; with
 * checked mode off nothing is tracked. A leak is reported with the stages that last touched the
 * packet, to SLF4J and to listeners, and its storage is freed then, so that a leak does not grow
 * memory.
 *
 * <p>The global detector is the one JVM-wide object of the SDK: leak tracking must see packets
 * whichever component made them. It holds no native resources and changes no behaviour; tests
 * can make their own detector.
 *
 * <h2>Threads</h2>
 * All methods are thread safe. Reports are made on the thread that calls {@link #poll()} (also
 * called whenever a packet is tracked).
 */
public final class LeakDetector {
    private static final Logger log = LoggerFactory.getLogger(LeakDetector.class);
    private static final LeakDetector GLOBAL = new LeakDetector();
    private static final int TOUCHES_KEPT = 8;

    private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
    private final Set<Tracker> live = ConcurrentHashMap.newKeySet();
    private final List<Consumer<LeakReport>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong leaks = new AtomicLong();

    /** A detector of your own (tests); components use {@link #global()}. */
    public LeakDetector() {
    }

    /** The detector every reference-counted packet is tracked in, in checked mode. */
    public static LeakDetector global() {
        return GLOBAL;
    }

    /** Adds a listener for leak reports; it runs on the thread that polls. */
    public void addListener(Consumer<LeakReport> listener) {
        listeners.add(listener);
    }

    /** Removes a listener. */
    public void removeListener(Consumer<LeakReport> listener) {
        listeners.remove(listener);
    }

    /** How many leaks this detector has reported so far. */
    public long leakCount() {
        return leaks.get();
    }

    /** How many tracked storages are alive (not yet released, not yet found leaked). */
    public int liveCount() {
        return live.size();
    }

    /** Tracks {@code storage}; the returned tracker must be closed on the last release. */
    Tracker track(Object storage, Runnable deallocator, String description) {
        poll();
        Tracker t = new Tracker(this, storage, deallocator, description);
        live.add(t);
        return t;
    }

    /**
     * Tracks a resource of your own: a leak is reported when {@code referent} is garbage collected
     * before the returned tracker is closed.
     */
    public Tracker track(Object referent, String description) {
        return track(referent, () -> { }, description);
    }

    /** Reports the leaks the garbage collector has found so far. Returns how many it reported. */
    public int poll() {
        int found = 0;
        Reference<?> ref;
        while ((ref = queue.poll()) != null) {
            Tracker t = (Tracker) ref;
            if (live.remove(t)) {
                found++;
                report(t);
            }
        }
        return found;
    }

    private void report(Tracker t) {
        leaks.incrementAndGet();
        LeakReport r = new LeakReport(t.description, t.touches());
        log.error("LEAK: {}", r);
        for (Consumer<LeakReport> l : listeners) {
            l.accept(r);
        }
        try {
            t.deallocator.run();
        } catch (RuntimeException e) {
            log.warn("freeing leaked {} failed", t.description, e);
        }
    }

    /** The record of one tracked storage. Closed when its last reference is released. */
    public static final class Tracker extends PhantomReference<Object> {
        private final String description;
        private final Runnable deallocator;
        private final ArrayDeque<String> touches = new ArrayDeque<>();
        private final LeakDetector owner;

        Tracker(LeakDetector owner, Object referent, Runnable deallocator, String description) {
            super(referent, owner.queue);
            this.owner = owner;
            this.description = description;
            this.deallocator = deallocator;
            touch("created on thread " + Thread.currentThread().getName());
        }

        /** Records where the storage was seen last. */
        public void touch(Object hint) {
            synchronized (touches) {
                if (touches.size() == TOUCHES_KEPT) {
                    touches.removeFirst();
                }
                touches.addLast(String.valueOf(hint));
            }
        }

        List<String> touches() {
            synchronized (touches) {
                return new ArrayList<>(touches);
            }
        }

        /** The storage was released properly: stop tracking it. */
        public void close() {
            clear();
            owner.live.remove(this);
        }
    }
}
