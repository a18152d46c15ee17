package dev.packetstream.webrtc.encoded;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.packetstream.core.media.VideoCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Viewers join and leave a running fan-out 50 times: threads and memory come back, the others are unaffected. */
class JoinLeaveSoakTest {
    static final int CYCLES = 50;

    @Test
    void fiftyViewersJoiningAndLeavingLeakNoThreadsAndNoMemory() throws Exception {
        try (EncodedRuntime gst = new EncodedRuntime("soak");
             TestSource source = new TestSource("pattern", VideoCodec.VP8, 320, 240, 60);
             JavaViewer steady = new JavaViewer(gst, "steady", VideoCodec.VP8, 150)) {
            EncodedFanout fanout = new EncodedFanout("relay", gst);
            fanout.onKeyframeRequest(r -> source.video.requestKeyframe());
            source.then(fanout, 50).start();
            fanout.addViewer(steady.sender);
            steady.tx.negotiate().get(10, SECONDS);
            steady.firstVideo.get(10, SECONDS);

            // warm-up cycles: class loading, GStreamer's plugin and thread pools reach their steady size
            for (int i = 0; i < 5; i++) {
                cycle(gst, fanout, "warm-" + i);
            }
            long threads0 = Thread.activeCount();
            System.gc(); // gst1-java-core releases its native references when the Java wrappers are collected
            long rss0 = rssKb();
            long native0 = rss0 - heapCommittedKb();
            long steadyVideo0 = steady.video.get();
            long t0 = System.nanoTime();
            for (int i = 0; i < CYCLES; i++) {
                cycle(gst, fanout, "v" + i);
                if (i % 10 == 9) {
                    Runtime rt = Runtime.getRuntime();
                    System.out.printf("cycle %d: threads %d, RSS %d MB, heap %d MB, sessions %d, viewers %d%n", i + 1,
                            Thread.activeCount(), rssKb() / 1024, (rt.totalMemory() - rt.freeMemory()) >> 20,
                            gst.sessions().size(), fanout.viewers().size());
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            await().atMost(Duration.ofSeconds(10)).until(() -> Thread.activeCount() <= threads0 + 2);
            long threads1 = Thread.activeCount();
            // gst1-java-core gives back its native references when a collection has found the Java
            // wrappers unreachable, on its cleaner thread, some time after System.gc(): poll
            long[] last = new long[2];
            try {
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    System.gc();
                    last[0] = rssKb();
                    last[1] = last[0] - heapCommittedKb();
                    return (last[1] - native0) / 1024 < 64;
                });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // reported by the assertion below, with the figures
            }
            long rss1 = last[0];
            long native1 = last[1];
            double steadyFps = (steady.video.get() - steadyVideo0) / secs;
            System.out.printf("soak: %d cycles in %.1f s; threads %d -> %d; RSS %d -> %d MB (%+d MB), of which outside the "
                    + "Java heap %d -> %d MB (%+d MB); steady viewer %.1f fps%n", CYCLES, secs, threads0, threads1, rss0 / 1024,
                    rss1 / 1024, (rss1 - rss0) / 1024, native0 / 1024, native1 / 1024, (native1 - native0) / 1024, steadyFps);
            assertThat(gst.sessions()).hasSize(2); // only the steady viewer's pair
            assertThat(fanout.viewers()).containsExactly(steady.sender);
            assertThat(threads1).isLessThanOrEqualTo(threads0 + 2);
            // the Java heap grows and shrinks as the collector likes; native leaks show outside it
            assertThat((native1 - native0) / 1024).as("growth of resident memory outside the Java heap over %d cycles, MB",
                    CYCLES).isLessThan(64);
            assertThat(steadyFps).as("the steady viewer's frame rate while others come and go").isGreaterThan(20);
        }
    }

    private static void cycle(EncodedRuntime gst, EncodedFanout fanout, String name) throws Exception {
        try (JavaViewer v = new JavaViewer(gst, name, VideoCodec.VP8, 150)) {
            fanout.addViewer(v.sender);
            v.tx.negotiate().get(10, SECONDS);
            assertThat(v.firstVideo.get(10, SECONDS).isKeyframe()).isTrue();
            fanout.removeViewer(v.sender);
        }
    }

    static long heapCommittedKb() {
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() / 1024;
    }

    static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        return -1;
    }
}
