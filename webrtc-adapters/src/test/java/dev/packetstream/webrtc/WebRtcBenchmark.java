package dev.packetstream.webrtc;

import dev.packetstream.core.AttachOption;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.media.RawVideoFrame;
import dev.packetstream.core.media.VideoCodec;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * End-to-end loopback benchmark, not part of {@code mvn verify}. For 480p and 720p and each codec:
 * one stream pushed at 30 fps through a {@link WebRtcTrackSender} into a second session's
 * {@link WebRtcTrackReceiver}; prints frames/s delivered, process CPU (encode + decode + push, in
 * cores), push → receiver-sink latency p50/p95 (each frame carries its sequence number as luma
 * blocks), and resident memory.
 *
 * <pre>
 * ./mvnw -B -q -pl webrtc-adapters test-compile exec:exec@bench
 * </pre>
 *
 * System properties: {@code bench.seconds} (measured seconds per case, default 8),
 * {@code bench.warmup} (default 2).
 */
public final class WebRtcBenchmark {
    private static final int FPS = 30;

    private WebRtcBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 8);
        int warmup = Integer.getInteger("bench.warmup", 2);
        System.out.printf("PacketStream webrtc-adapters loopback benchmark: %d s per case after %d s warm-up, %d fps pushed, "
                + "%d cores, Java %s%n%n", seconds, warmup, FPS, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        System.out.println("| codec | size | frames/s delivered | process CPU (cores) | latency p50 (ms) | latency p95 (ms) | RSS (MB) |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (VideoCodec codec : new VideoCodec[] {VideoCodec.VP8, VideoCodec.VP9, VideoCodec.H264, VideoCodec.AV1}) {
            for (int[] size : new int[][] {{640, 480}, {1280, 720}}) {
                run(codec, size[0], size[1], warmup, seconds);
            }
        }
    }

    private static void run(VideoCodec codec, int width, int height, int warmup, int seconds) throws Exception {
        PeerSessionConfig config = PeerSessionConfig.builder().loopbackOnly(true).videoCodecs(codec).build();
        AtomicLongArray pushedAt = new AtomicLongArray(1 << 16);
        long[] latencies = new long[FPS * (seconds + warmup + 5)];
        AtomicLong latencyCount = new AtomicLong();
        AtomicLong delivered = new AtomicLong();
        boolean[] measuring = new boolean[1];
        try (Loopback link = new Loopback("bench-" + codec, config);
             PacketStream out = new PacketStream("bench-out");
             PacketStream in = new PacketStream("bench-in")) {
            out.attach(link.a.newSender("cam").video(true).minBitrate(1_000_000).maxBitrate(4_000_000).build(), 0);
            in.attachSource(link.b.newReceiver("remote", MediaKind.VIDEO), AttachOption.SYNC_STATE);
            in.addSink("measure", p -> {
                if (p instanceof RawVideoFrame f && measuring[0]) {
                    long now = System.nanoTime();
                    delivered.incrementAndGet();
                    int marker = TestMedia.VideoPainter.readMarker(f);
                    long t = pushedAt.get(marker);
                    if (t != 0) {
                        int k = (int) latencyCount.getAndIncrement();
                        if (k < latencies.length) {
                            latencies[k] = now - t;
                        }
                    }
                }
            });
            out.start();
            in.start();
            link.connect();
            TestMedia.VideoPainter painter = new TestMedia.VideoPainter(width, height);
            long total = (long) FPS * (warmup + seconds);
            long[] cpuStart = new long[1];
            long[] wallStart = new long[1];
            Pacer.run("bench-push", total, 1_000_000 / FPS, n -> {
                if (n == (long) FPS * warmup) {
                    measuring[0] = true;
                    cpuStart[0] = processCpuNanos();
                    wallStart[0] = System.nanoTime();
                }
                int marker = (int) (n & 0xffff);
                RawVideoFrame f = painter.frame(n, marker, n * 1_000_000 / FPS);
                pushedAt.set(marker, System.nanoTime());
                out.write(f);
            });
            long wall = System.nanoTime() - wallStart[0];
            long cpu = processCpuNanos() - cpuStart[0];
            measuring[0] = false;
            int n = (int) Math.min(latencyCount.get(), latencies.length);
            long[] l = Arrays.copyOf(latencies, n);
            Arrays.sort(l);
            System.out.printf("| %s | %dx%d | %.1f | %.2f | %.1f | %.1f | %d |%n", codec, width, height,
                    delivered.get() * 1e9 / wall, (double) cpu / wall,
                    n == 0 ? Double.NaN : l[n / 2] / 1e6, n == 0 ? Double.NaN : l[(int) (n * 0.95)] / 1e6, rssMb());
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (java.io.IOException e) {
            return -1;
        }
        return -1;
    }

    static {
        // a quiet benchmark: libwebrtc logs go to stderr natively, ours to slf4j-simple
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
}
