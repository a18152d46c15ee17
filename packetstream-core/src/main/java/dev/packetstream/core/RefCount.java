package dev.packetstream.core;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The reference count of one piece of storage, shared by a packet and all of its checked-mode
 * views. When the count reaches zero the deallocator runs once.
 */
final class RefCount {
    private static final AtomicIntegerFieldUpdater<RefCount> COUNT =
            AtomicIntegerFieldUpdater.newUpdater(RefCount.class, "count");

    private volatile int count = 1;
    private final Runnable deallocator;
    /** Checked mode only, else null. */
    final LeakDetector.Tracker tracker;

    RefCount(Runnable deallocator, LeakDetector detector, String description) {
        this.deallocator = deallocator;
        this.tracker = detector == null ? null : detector.track(this, deallocator, description);
    }

    int get() {
        return count;
    }

    void retain(String what) {
        for (;;) {
            int c = count;
            if (c <= 0) {
                throw new IllegalReferenceCountException(what + " was retained after its last release (refCnt 0); "
                        + "retain it before the call that lent it returns");
            }
            if (COUNT.compareAndSet(this, c, c + 1)) {
                return;
            }
        }
    }

    boolean release(String what) {
        for (;;) {
            int c = count;
            if (c <= 0) {
                throw new IllegalReferenceCountException(what + " was released more often than it was retained");
            }
            if (COUNT.compareAndSet(this, c, c - 1)) {
                if (c == 1) {
                    if (tracker != null) {
                        tracker.close();
                    }
                    deallocator.run();
                    return true;
                }
                return false;
            }
        }
    }

    void touch(Object hint) {
        if (tracker != null) {
            tracker.touch(hint);
        }
    }
}
