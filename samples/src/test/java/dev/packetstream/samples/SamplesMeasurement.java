package dev.packetstream.samples;

import dev.packetstream.signaling.testing.HeadlessChromium;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The figures of {@code samples/README.md}, measured in one run (not part of {@code ./mvnw verify}):
 *
 * <pre>
 * ./mvnw -B -q -pl samples -am install -DskipTests
 * ./mvnw -B -q -pl samples test-compile exec:exec@measure
 * </pre>
 *
 * Each sample runs as a child JVM (as a user runs it), so its CPU is read from {@code /proc} apart
 * from the browser's. Needs Debian's chromium, chromium-driver, ffmpeg and gstreamer1.0-tools,
 * gstreamer1.0-plugins-base, gstreamer1.0-plugins-good.
 */
public final class SamplesMeasurement {
    private static final Duration WARM_UP = Duration.ofSeconds(5);
    private static final Duration WINDOW = Duration.ofSeconds(15);

    private final Path dir;
    private final List<String> lines = new ArrayList<>();

    private SamplesMeasurement(Path dir) {
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("samples-measure-");
        try {
            SamplesMeasurement m = new SamplesMeasurement(dir);
            m.say("machine: " + Runtime.getRuntime().availableProcessors() + " cores; load average before: " + CpuMeter.loadAverage());
            List<String> which = new ArrayList<>();
            for (String a : args) {
                which.addAll(List.of(a.split(",")));
            }
            boolean all = which.isEmpty() || which.contains("all");
            if (all || which.contains("webcam")) {
                for (int[] size : new int[][] {{640, 480}, {1280, 720}}) {
                    m.webcam(size[0], size[1]);
                }
            }
            if (all || which.contains("relay")) {
                m.relay(20);
            }
            if (all || which.contains("recorder")) {
                m.recorder();
            }
            m.say("load average after: " + CpuMeter.loadAverage());
            System.out.println();
            System.out.println("==== samples figures ====");
            m.lines.forEach(System.out::println);
        } finally {
            deleteRecursively(dir);
        }
        System.exit(0);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private void say(String line) {
        lines.add(line);
        System.out.println(line);
    }

    // ------------------------------------------------------------------ webcam-to-browser vs GStreamer

    private void webcam(int w, int h) throws Exception {
        Path clip = dir.resolve("clip-" + w + "x" + h + ".avi");
        MediaTools.run(List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=" + w + "x" + h + ":rate=30",
                "-t", "40", "-c:v", "mjpeg", "-q:v", "4", "-pix_fmt", "yuvj420p", clip.toString()));

        double gst = gstreamerCores(clip);

        double javaCores;
        double viewerFps;
        double firstFrameMs;
        try (SampleProcess sample = new SampleProcess(dir, "webcam-to-browser", "--file", clip.toString(), "--size", w + "x" + h,
                "--fps", "30", "--no-audio", "--loopback", "--port", "0", "--room", "m" + w);
             HeadlessChromium chromium = HeadlessChromium.launch()) {
            URI page = sample.page(Duration.ofSeconds(30));
            chromium.driver().manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
            ViewerPage viewer = new ViewerPage(chromium, chromium.open(page));
            firstFrameMs = ((Number) ((org.openqa.selenium.JavascriptExecutor) chromium.driver()).executeAsyncScript(FIRST_FRAME)).doubleValue();
            Thread.sleep(WARM_UP.toMillis());
            CpuMeter cpu = new CpuMeter(sample.pid());
            cpu.start();
            long frames0 = viewer.framesShown();
            long t0 = System.nanoTime();
            Thread.sleep(WINDOW.toMillis());
            viewerFps = (viewer.framesShown() - frames0) / ((System.nanoTime() - t0) / 1e9);
            javaCores = cpu.cores();
        }

        double[] latency;
        try (SampleProcess sample = new SampleProcess(dir, "webcam-to-browser", "--file", clip.toString(), "--size", w + "x" + h,
                "--fps", "30", "--no-audio", "--loopback", "--port", "0", "--room", "l" + w, "--stamp-clock");
             HeadlessChromium chromium = HeadlessChromium.launch()) {
            chromium.driver().manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
            ViewerPage viewer = new ViewerPage(chromium, chromium.open(sample.page(Duration.ofSeconds(30))));
            viewer.awaitFrames(Duration.ofSeconds(30), "the viewer");
            Thread.sleep(WARM_UP.toMillis());
            @SuppressWarnings("unchecked")
            List<Number> samples = (List<Number>) ((org.openqa.selenium.JavascriptExecutor) chromium.driver()).executeAsyncScript(LATENCY, 90);
            latency = samples.stream().mapToDouble(Number::doubleValue).filter(x -> x >= 0 && x < 10_000).sorted().toArray();
        }
        say(String.format(Locale.ROOT,
                "webcam-to-browser %dx%d@30 (MJPEG clip, VP8): Java %.2f cores, GStreamer (avidemux ! jpegdec ! videoconvert ! vp8enc deadline=1 ! fakesink sync=true) %.2f cores, ratio %.2fx; viewer %.1f fps; first frame %.0f ms after the page opened; glass-to-glass median %.0f ms, p90 %.0f ms (%d frames)",
                w, h, javaCores, gst, javaCores / gst, viewerFps, firstFrameMs, percentile(latency, 0.5), percentile(latency, 0.9),
                latency.length));
    }

    private static double gstreamerCores(Path clip) throws Exception {
        Process gst = new ProcessBuilder("gst-launch-1.0", "-q", "filesrc", "location=" + clip, "!", "avidemux", "!", "jpegdec", "!",
                "videoconvert", "!", "vp8enc", "deadline=1", "!", "fakesink", "sync=true").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Thread.sleep(WARM_UP.toMillis());
            if (!gst.isAlive()) {
                throw new IllegalStateException("gst-launch-1.0 ended early (exit " + gst.exitValue()
                        + "): apt-get install gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good");
            }
            CpuMeter cpu = new CpuMeter(gst.pid());
            cpu.start();
            Thread.sleep(WINDOW.toMillis());
            return cpu.cores();
        } finally {
            gst.destroy();
            gst.waitFor(10, TimeUnit.SECONDS);
        }
    }

    // ------------------------------------------------------------------ relay capacity

    private void relay(int maxViewers) throws Exception {
        try (SampleProcess sample = new SampleProcess(dir, "relay", "--size", "640x480", "--fps", "30", "--loopback", "--port", "0",
                "--room", "relay-m");
             HeadlessChromium chromium = HeadlessChromium.launch()) {
            URI page = sample.page(Duration.ofSeconds(30));
            List<ViewerPage> viewers = new ArrayList<>();
            int served = 0;
            double worst = 0;
            CpuMeter cpu = new CpuMeter(sample.pid());
            double cores = 0;
            for (int n = 1; n <= maxViewers; n++) {
                ViewerPage v = new ViewerPage(chromium, n == 1 ? chromium.open(page) : chromium.newWindow(page));
                viewers.add(v);
                try {
                    v.awaitFrames(Duration.ofSeconds(30), "viewer " + n);
                } catch (org.openqa.selenium.TimeoutException e) {
                    System.out.printf("relay: viewer %d got no picture within 30 s%n", n);
                    worst = 0;
                    break;
                }
                Thread.sleep(3000);
                cpu.start();
                // Each viewer's own interval: reading n windows one after the other takes a while.
                long[] before = new long[viewers.size()];
                long[] beforeNanos = new long[viewers.size()];
                for (int i = 0; i < before.length; i++) {
                    before[i] = viewers.get(i).framesShown();
                    beforeNanos[i] = System.nanoTime();
                }
                Thread.sleep(5000);
                double min = Double.MAX_VALUE;
                for (int i = 0; i < before.length; i++) {
                    long frames = viewers.get(i).framesShown() - before[i];
                    min = Math.min(min, frames / ((System.nanoTime() - beforeNanos[i]) / 1e9));
                }
                double c = cpu.cores();
                System.out.printf(Locale.ROOT, "relay: %d viewer(s), slowest %.1f fps, relay process %.2f cores, load %s%n", n, min, c,
                        CpuMeter.loadAverage());
                if (min < 25) {
                    worst = min;
                    break;
                }
                served = n;
                cores = c;
            }
            say(String.format(Locale.ROOT,
                    "relay 640x480@30 (test pattern, VP8): %d viewer(s) served at >= 25 fps each (relay process %.2f cores at that count)%s; viewers are headless Chromium windows on the same 2 cores",
                    served, cores, served == maxViewers ? " (the run's cap)" : String.format(Locale.ROOT, "; with %d the slowest got %.1f fps", served + 1, worst)));
        }
    }

    // ------------------------------------------------------------------ recorder CPU

    private void recorder() throws Exception {
        Path clip = MediaTools.y4mClip(dir, 1280, 720, 30, 4);
        Path recordings = dir.resolve("recordings");
        try (SampleProcess sample = new SampleProcess(dir, "browser-to-recorder", "--loopback", "--port", "0", "--room", "rec-m",
                "--recordings", recordings.toString());
             HeadlessChromium chromium = HeadlessChromium.launch(List.of("--use-file-for-fake-video-capture=" + clip))) {
            URI page = sample.page(Duration.ofSeconds(30));
            chromium.open(page.resolve("recorder.html?room=rec-m&autostart=1"));
            chromium.waitFor(Duration.ofSeconds(30), "the browser sends frames", "return window.psRecorder.framesSent > 0;");
            Thread.sleep(WARM_UP.toMillis());
            CpuMeter cpu = new CpuMeter(sample.pid());
            cpu.start();
            long sent0 = ((Number) chromium.script("return window.psRecorder.framesSent;")).longValue();
            long t0 = System.nanoTime();
            Thread.sleep(WINDOW.toMillis());
            double cores = cpu.cores();
            double fps = (((Number) chromium.script("return window.psRecorder.framesSent;")).longValue() - sent0)
                    / ((System.nanoTime() - t0) / 1e9);
            String size = String.valueOf(chromium.script(
                    "const v = document.getElementById('local'); return v.videoWidth + 'x' + v.videoHeight;"));
            String sending = String.valueOf(chromium.script("return document.getElementById('stats').textContent;"));
            chromium.script("window.psRecorderStop();");
            int exit = sample.terminate(Duration.ofSeconds(60));
            String recorded = "?";
            try (var files = Files.list(recordings)) {
                for (Path f : files.toList()) {
                    MediaTools.Probe p = MediaTools.probe(f);
                    recorded = p.width() + "x" + p.height() + ", " + p.videoFrames() + " frames, " + Math.round(p.durationSeconds()) + " s";
                }
            }
            say(String.format(Locale.ROOT,
                    "browser-to-recorder, one browser session (camera %s from a y4m clip at 30 fps; browser sent %.1f fps; its overlay at the end: '%s'): recorder process %.2f cores (receive + decode + VP8/Opus encode + WebM mux); file %s; exit %d",
                    size, fps, sending, cores, recorded, exit));
        }
    }

    private static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
    }

    /** Milliseconds from the page's navigation start to its first video frame. */
    private static final String FIRST_FRAME = """
            const done = arguments[arguments.length - 1];
            const check = () => {
              const v = document.getElementById('remote');
              if (v && v.getVideoPlaybackQuality().totalVideoFrames > 0) { done(performance.now()); return true; }
              return false;
            };
            if (!check()) { const t = setInterval(() => { if (check()) clearInterval(t); }, 5); }
            """;

    /** For N presented frames: now minus the clock stamped into the frame (ClockStamp's barcode), in ms. */
    private static final String LATENCY = """
            const n = arguments[0];
            const done = arguments[arguments.length - 1];
            const v = document.getElementById('remote');
            const c = document.createElement('canvas');
            c.width = 336; c.height = 32;
            const ctx = c.getContext('2d', { willReadFrequently: true });
            const out = [];
            const read = () => {
              const now = Date.now();
              ctx.drawImage(v, 0, 0, 336, 32, 0, 0, 336, 32);
              const d = ctx.getImageData(0, 0, 336, 32).data;
              let ms = 0;
              for (let bit = 0; bit < 42; bit++) {
                const x = (bit % 21) * 16 + 8, y = Math.floor(bit / 21) * 16 + 8;
                if (d[(y * 336 + x) * 4] > 128) ms += 2 ** bit;
              }
              out.push(now - ms);
              if (out.length >= n) done(out); else v.requestVideoFrameCallback(read);
            };
            v.requestVideoFrameCallback(read);
            """;
}
