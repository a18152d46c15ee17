package dev.packetstream.webrtc;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/** Runs a task at a fixed rate, a given number of times, on a thread of its own (real-time pacing). */
final class Pacer {
    private Pacer() {
    }

    /** Calls {@code tick(i)} for i = 0..count-1, every {@code periodMicros}; returns when done. */
    static void run(String name, long count, long periodMicros, LongConsumer tick) throws InterruptedException {
        ScheduledExecutorService ses = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        CountDownLatch done = new CountDownLatch(1);
        AtomicLong i = new AtomicLong();
        Throwable[] failure = new Throwable[1];
        ses.scheduleAtFixedRate(() -> {
            long n = i.getAndIncrement();
            if (n >= count) {
                done.countDown();
                return;
            }
            try {
                tick.accept(n);
            } catch (Throwable t) {
                failure[0] = t;
                done.countDown();
            }
        }, 0, periodMicros, TimeUnit.MICROSECONDS);
        try {
            done.await();
        } finally {
            ses.shutdownNow();
            ses.awaitTermination(5, TimeUnit.SECONDS);
        }
        if (failure[0] != null) {
            throw new AssertionError("pacer '" + name + "' tick failed", failure[0]);
        }
    }
}
