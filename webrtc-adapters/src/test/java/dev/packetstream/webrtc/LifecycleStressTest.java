package dev.packetstream.webrtc;

import dev.packetstream.core.peer.InMemorySignaller;
import static org.assertj.core.api.Assertions.assertThat;

import dev.packetstream.core.AttachOption;
import dev.packetstream.core.LeakDetector;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.media.RawVideoFrame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * 50 open → stream → close cycles in one JVM: no crash, no leaked threads, no leaked frames, and
 * bounded memory. Every cycle opens a pair of sessions, streams video and audio until a frame
 * arrives, and closes; every fifth cycle also makes new runtimes, and closes the old ones with
 * that cycle's sessions still open (10 runtime pairs in all).
 *
 * <p>Memory: webrtc-java 0.14.0 never releases the native peer connection after
 * {@code close()} (its JNI {@code close} clears the handle without a {@code Release()}), so each
 * closed session keeps roughly 0.3–0.6 MB; the figures are printed.
 */
class LifecycleStressTest {
    static final int CYCLES = Integer.getInteger("cycles", 50);

    @Test
    void fiftyOpenStreamCloseCyclesLeakNoThreadsNoFramesAndLittleMemory() throws Exception {
        if (link != null) {
            throw new IllegalStateException();
        }
        cycle(-1); // warm-up: loads the native library, JIT
        System.gc();
        Set<String> threadsBefore = threadNames();
        long rssBefore = rssKb();
        long start = System.nanoTime();
        for (int i = 0; i < CYCLES; i++) {
            cycle(i);
            if (i % 10 == 9) {
                Runtime rt = Runtime.getRuntime();
                System.out.printf("after %d cycles: RSS %d MB, Java heap committed %d MB, used %d MB%n", i + 1,
                        rssKb() / 1024, rt.totalMemory() >> 20, (rt.totalMemory() - rt.freeMemory()) >> 20);
            }
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.gc();
        long rssAfter = rssKb();
        Set<String> leaked = awaitThreadsBackTo(threadsBefore);
        long growthMb = (rssAfter - rssBefore) / 1024;
        System.out.printf("%d cycles in %d ms (%d ms each); RSS %d MB -> %d MB (growth %d MB); live tracked frames %d%n",
                CYCLES, ms, ms / CYCLES, rssBefore / 1024, rssAfter / 1024, growthMb, LeakDetector.global().liveCount());

        assertThat(leaked).as("threads alive after the cycles that were not before").isEmpty();
        assertThat(growthMb).as("resident memory growth over %d cycles", CYCLES).isLessThan(100);
        assertThat(LeakDetector.global().liveCount()).as("reference-counted frames not released").isZero();
    }

    static final int CYCLES_PER_RUNTIME = 5;
    private Loopback link;

    @org.junit.jupiter.api.AfterEach
    void closeWhatAFailedCycleLeftOpen() {
        if (link != null) {
            link.close();
            link = null;
        }
    }

    private void cycle(int i) throws Exception {
        CountDownLatch firstFrame = new CountDownLatch(1);
        boolean lastOfGeneration = i < 0 || i % CYCLES_PER_RUNTIME == CYCLES_PER_RUNTIME - 1;
        if (link == null) {
            link = new Loopback("gen" + Math.max(0, i / CYCLES_PER_RUNTIME));
        } else {
            InMemorySignaller.Pair pair = InMemorySignaller.pair();
            link = link.withSessions("a" + i, "b" + i, pair);
        }
        try (PacketStream out = new PacketStream("out" + i); PacketStream in = new PacketStream("in" + i)) {
            out.attach(link.a.newSender("cam").video(true).audio(true).build(), 0);
            in.attachSource(link.b.newReceiver("remote", MediaKind.VIDEO, MediaKind.AUDIO), AttachOption.SYNC_STATE);
            in.addSink("first", p -> {
                if (p instanceof RawVideoFrame) {
                    firstFrame.countDown();
                }
            });
            out.start();
            in.start();
            link.connect();
            TestMedia.VideoPainter painter = new TestMedia.VideoPainter(320, 240);
            TestMedia.Tone tone = new TestMedia.Tone(440);
            long n = 0;
            while (!firstFrame.await(33, TimeUnit.MILLISECONDS)) {
                out.write(painter.frame(n, -1, n * 33_333));
                out.write(tone.next10ms());
                if (++n > 150) {
                    throw new AssertionError("cycle " + i + ": no frame arrived within 150 pushes");
                }
            }
            if (!lastOfGeneration) {
                link.a.close();
                link.b.close();
            }
        } finally {
            if (lastOfGeneration) {
                link.close(); // runtimes close with this cycle's sessions still open
                link = null;
            }
        }
    }

    private static Set<String> threadNames() {
        Set<String> names = new TreeSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive()) {
                names.add(t.getName());
            }
        }
        return names;
    }

    /** Polls (bounded) until no thread is alive that was not alive before; returns the extra ones. */
    private static Set<String> awaitThreadsBackTo(Set<String> before) {
        Polling.awaitUpTo(Duration.ofSeconds(5), Duration.ofMillis(50), () -> extraThreads(before).isEmpty());
        return extraThreads(before);
    }

    private static Set<String> extraThreads(Set<String> before) {
        Set<String> extra = threadNames();
        extra.removeAll(before);
        extra.removeIf(n -> n.startsWith("surefire") || n.equals("process reaper") || n.startsWith("Attach Listener")
                || n.startsWith("Common-Cleaner") || n.startsWith("ForkJoinPool"));
        return extra;
    }

    private static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }
}
