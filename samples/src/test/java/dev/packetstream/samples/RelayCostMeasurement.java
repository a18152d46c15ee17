package dev.packetstream.samples;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The encoded relay's CPU per extra viewer, this build against another one ({@code -Dmeasure.baseline=<class
 * path>}), interleaved in one run so that both meet the same machine load: for each round, each build's relay
 * runs in turn with 1, then each of the steps' Java non-decoding viewers ({@link LoadViewers}), and prints its
 * process CPU at each step with the load average. Not part of {@code verify}.
 *
 * <p>On a shared, overloaded machine the source slows down (fewer frames, less work), so each step also prints
 * the relay's CPU without its capture thread's 1-viewer work (camera and encoder, scaled to the step's frame rate;
 * "send side": everything that grows with viewers), and
 * the summary's per-viewer figure is the send side's growth over the extra viewers, scaled to a 30 fps source:
 * {@code (send(N) - send(1) x fps(N) / fps(1)) / (N - 1) x 30 / fps(N)}.
 *
 * <pre>
 * java -cp &lt;samples test class path&gt; -Dmeasure.baseline=&lt;old class path&gt; dev.packetstream.samples.RelayCostMeasurement 25,50 2
 * </pre>
 */
public final class RelayCostMeasurement {
    private RelayCostMeasurement() {
    }

    public static void main(String[] args) throws Exception {
        int[] steps = args.length > 0 ? java.util.Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {25, 50};
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        String baseline = System.getProperty("measure.baseline", "");
        String current = System.getProperty("java.class.path");
        Path dir = Files.createTempDirectory("relay-cost-");
        List<String> lines = new ArrayList<>();
        List<double[]> base = new ArrayList<>();
        List<double[]> now = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            if (!baseline.isBlank()) {
                base.add(run(dir, "baseline", baseline, steps, lines));
            }
            now.add(run(dir, "this build", current, steps, lines));
        }
        System.out.println("==== relay cost ====");
        lines.forEach(System.out::println);
        if (!base.isEmpty()) {
            System.out.println(summary("baseline", base, steps));
        }
        System.out.println(summary("this build", now, steps));
        System.out.println("load average after: " + CpuMeter.loadAverage());
        System.exit(0);
    }

    private static String summary(String which, List<double[]> runs, int[] steps) {
        double sum = 0;
        double sendSum = 0;
        StringBuilder each = new StringBuilder();
        for (double[] r : runs) {
            double perViewer = (r[r.length - 2] - r[0]) / (steps[steps.length - 1] - 1);
            sum += perViewer;
            sendSum += r[r.length - 1];
            each.append(String.format(Locale.ROOT, " %.4f/%.4f", perViewer, r[r.length - 1]));
        }
        return String.format(Locale.ROOT, "%s: relay process core per extra viewer (1 -> %d viewers), mean of %d runs %.4f;"
                        + " send side per extra viewer at 30 fps %.4f (each run, process/send side:%s)", which,
                steps[steps.length - 1], runs.size(), sum / runs.size(), sendSum / runs.size(), each);
    }

    private static int allLength(int[] steps) {
        return steps.length + 1;
    }

    /** Per thread id: CPU ticks and whether it is the sample's capture (camera + encoder) thread. */
    private static java.util.Map<Long, long[]> threadTicks(long pid) {
        java.util.Map<Long, long[]> m = new java.util.HashMap<>();
        java.io.File[] tasks = new java.io.File("/proc/" + pid + "/task").listFiles();
        if (tasks == null) {
            return m;
        }
        for (java.io.File t : tasks) {
            try {
                String stat = Files.readString(t.toPath().resolve("stat"));
                String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                m.put(Long.parseLong(t.getName()), new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12]),
                    comm.startsWith("capture") ? 1 : 0});
            } catch (java.io.IOException | RuntimeException e) {
                // the thread ended meanwhile
            }
        }
        return m;
    }

    /** One relay of one build: its process cores at 1 viewer and at each step. */
    private static double[] run(Path dir, String which, String classpath, int[] steps, List<String> lines) throws Exception {
        double[] cores = new double[steps.length + 2]; // per step, then the send side's per-viewer figure
        try (SampleProcess sample = SampleProcess.onClassPath(dir, classpath, "relay", "--size", "640x480", "--fps", "30",
                "--max-bitrate", "1000", "--min-bitrate", "1000", "--loopback", "--port", "0", "--room", "cost",
                "--max-peers", "256", "--max-connections-per-address", "512")) {
            URI page = sample.page(Duration.ofSeconds(120));
            URI ws = URI.create("ws://" + page.getHost() + ":" + page.getPort() + "/ws");
            try (LoadViewers load = new LoadViewers(ws, "cost", 30)) {
                CpuMeter cpu = new CpuMeter(sample.pid());
                double[] send = new double[allLength(steps)];
                double[] fpsAt = new double[allLength(steps)];
                double captureAtOne = 0;
                int[] all = new int[steps.length + 1];
                all[0] = 1;
                System.arraycopy(steps, 0, all, 1, steps.length);
                for (int i = 0; i < all.length; i++) {
                    load.growTo(all[i]);
                    List<LoadViewers.Viewer> vs = load.viewers();
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (System.nanoTime() < deadline && vs.stream().anyMatch(v -> v.frames.get() == 0)) {
                        Thread.sleep(200);
                    }
                    Thread.sleep(3000);
                    long f0 = vs.stream().mapToLong(v -> v.frames.get()).sum();
                    cpu.start();
                    java.util.Map<Long, long[]> t1 = threadTicks(sample.pid());
                    long t0 = System.nanoTime();
                    Thread.sleep(8000);
                    cores[i] = cpu.cores();
                    java.util.Map<Long, long[]> t2 = threadTicks(sample.pid());
                    double secs = (System.nanoTime() - t0) / 1e9;
                    long captureTicks = 0;
                    for (var e : t2.entrySet()) {
                        long[] before = t1.get(e.getKey());
                        if (e.getValue()[1] == 1) {
                            captureTicks += e.getValue()[0] - (before == null ? 0 : before[0]);
                        }
                    }
                    double fps = (vs.stream().mapToLong(v -> v.frames.get()).sum() - f0) / secs / vs.size();
                    fpsAt[i] = fps;
                    if (i == 0) {
                        captureAtOne = captureTicks / 100.0 / secs;
                    }
                    // the capture thread's own work (camera + encoder) as at 1 viewer, at this step's frame rate; its
                    // fan-out to the viewers stays in the send side
                    send[i] = cores[i] - captureAtOne * fps / fpsAt[0];
                    String perViewer = i == 0 ? "" : String.format(Locale.ROOT, "; send side per extra viewer at 30 fps %.4f",
                            (send[i] - send[0] * fps / fpsAt[0]) / (all[i] - 1) * 30 / fps);
                    String line = String.format(Locale.ROOT, "%s: %d viewer(s): relay process %.3f cores, send side (without capture) %.3f%s;"
                                    + " mean %.1f fps per viewer; load %s",
                            which, all[i], cores[i], send[i], perViewer, fps, CpuMeter.loadAverage());
                    System.out.println(line);
                    System.out.flush();
                    lines.add(line);
                }
                int last = all.length - 1;
                cores[cores.length - 1] = (send[last] - send[0] * fpsAt[last] / fpsAt[0]) / (all[last] - 1) * 30 / fpsAt[last];
                // -Dmeasure.holdSeconds=N: keep the last step running (e.g. for perf or threadcpu.sh on the relay)
                Thread.sleep(Long.getLong("measure.holdSeconds", 0L) * 1000);
            }
        }
        return cores;
    }
}
