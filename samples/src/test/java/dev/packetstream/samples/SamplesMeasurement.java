package dev.packetstream.samples;

import dev.packetstream.samples.wire.WireViewers;
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
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    /** This build's class path (the measured samples run on it unless a baseline's is given). */
    private static final String OWN_BUILD = System.getProperty("java.class.path");

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
                int[] steps = steps(System.getProperty("measure.relay.steps", "1,25,50,75,100,125,150,175,200"));
                boolean withBaseline = m.againstBaseline("relay capacity", (cp, baseline) -> m.relayCapacity(false, steps, cp, baseline));
                if (!withBaseline) {
                    m.part("relay --transcode capacity", () -> m.relayCapacity(true, new int[] {1, 4, 8, 12, 16, 20, 24}, OWN_BUILD, false));
                }
            }
            if (all || which.contains("g2g")) {
                m.part("glass-to-glass (encoded relay)", () -> m.relayGlassToGlass(false));
                m.part("glass-to-glass (relay --transcode)", () -> m.relayGlassToGlass(true));
            }
            if (all || which.contains("recorder")) {
                m.recorders();
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

    private interface Part {
        void run() throws Exception;
    }

    /** Runs one part; a failure is printed among the figures and the next part runs. */
    private void part(String what, Part p) {
        try {
            p.run();
        } catch (Exception | AssertionError e) {
            say(what + ": FAILED: " + e.toString().lines().findFirst().orElse(""));
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
            URI page = sample.page(Duration.ofSeconds(120));
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
            ViewerPage viewer = new ViewerPage(chromium, chromium.open(sample.page(Duration.ofSeconds(120))));
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

    /**
     * Viewers of {@code relay} (test pattern 640x480 30 fps at 1 Mbit/s) that each keep >= 25 fps,
     * added in {@code steps}; the viewers are non-decoding Java receivers in this process, so the
     * figure is the relay's, not a browser's decoders': {@link WireViewers} (ICE-lite, DTLS-SRTP, one
     * receive thread for all), or with {@code -Dmeasure.receivers=gstreamer} {@link LoadViewers}
     * (a GStreamer webrtcbin receiver each).
     */
    private void relayCapacity(boolean transcode, int[] steps, String classpath, boolean baseline) throws Exception {
        String mode = (transcode ? "relay --transcode (decode once, libwebrtc VP8 encoder per viewer, video only)"
                : "relay (encoded once, VP8 + Opus fanned out, GStreamer webrtcbin)") + (baseline ? ", baseline build" : "");
        List<String> args = new ArrayList<>(List.of("relay", "--size", "640x480", "--fps", "30", "--max-bitrate", "1000",
                "--min-bitrate", "1000", "--loopback", "--port", "0", "--room", "cap", "--max-peers", "256",
                // every receiver connects from 127.0.0.1: the server's default of 64 per address would refuse the 64th
                "--max-connections-per-address", "512"));
        if (transcode) {
            args.add("--transcode");
        }
        try (SampleProcess sample = SampleProcess.onClassPath(dir, classpath, args.toArray(String[]::new))) {
            URI page = sample.page(Duration.ofSeconds(120));
            URI ws = URI.create("ws://" + page.getHost() + ":" + page.getPort() + "/ws");
            try (LoadReceivers load = loadReceivers(ws, "cap", 30)) {
                CpuMeter relayCpu = new CpuMeter(sample.pid());
                CpuMeter ownCpu = new CpuMeter(ProcessHandle.current().pid());
                int served = 0;
                int keptUp = 0;
                boolean stillKeptUp = true;
                List<double[]> cpuByViewers = new ArrayList<>();
                List<double[]> rxByViewers = new ArrayList<>();
                String failure = "";
                String bound = "";
                for (int n : steps) {
                    try {
                        load.growTo(n);
                    } catch (RuntimeException e) {
                        failure = String.format(Locale.ROOT, "; at %d a viewer could not join: %s", n,
                                e.toString().lines().findFirst().orElse(""));
                        System.out.println(mode + failure);
                        break;
                    }
                    List<? extends LoadReceivers.Counts> vs = load.viewers();
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (System.nanoTime() < deadline && vs.stream().anyMatch(v -> v.frames() == 0)) {
                        Thread.sleep(200);
                    }
                    long without = vs.stream().filter(v -> v.frames() == 0).count();
                    if (without > 0) {
                        failure = String.format(Locale.ROOT, "; at %d, %d viewer(s) got no frame within 60 s", n, without);
                        System.out.println(mode + failure);
                        break;
                    }
                    Thread.sleep(3000);
                    long[] f0 = new long[vs.size()];
                    long missing0 = 0;
                    for (int i = 0; i < f0.length; i++) {
                        f0[i] = vs.get(i).frames();
                        missing0 += vs.get(i).missing();
                    }
                    relayCpu.start();
                    ownCpu.start();
                    long t0 = System.nanoTime();
                    Thread.sleep(6000);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    double cores = relayCpu.cores();
                    double own = ownCpu.cores();
                    double[] fps = new double[vs.size()];
                    long missing = 0;
                    long audio = 0;
                    for (int i = 0; i < fps.length; i++) {
                        fps[i] = (vs.get(i).frames() - f0[i]) / seconds;
                        missing += vs.get(i).missing();
                        audio += vs.get(i).audioPackets();
                    }
                    missing -= missing0;
                    double[] sorted = fps.clone();
                    java.util.Arrays.sort(sorted);
                    long firstKey = vs.stream().filter(v -> Boolean.TRUE.equals(v.firstWasKeyframe())).count();
                    System.out.printf(Locale.ROOT, "%s: %d viewer(s): slowest %.1f fps, median %.1f; frames missing %d; first frame a keyframe %d/%d;"
                                    + " audio packets %d; relay process %.2f cores (%.4f per viewer); receivers' process %.2f cores (%.4f per viewer);"
                                    + " load %s%n", mode, n, sorted[0], percentile(sorted, 0.5), missing, firstKey, vs.size(), audio, cores,
                            cores / n, own, own / n, CpuMeter.loadAverage());
                    cpuByViewers.add(new double[] {n, cores, percentile(sorted, 0.5)});
                    rxByViewers.add(new double[] {n, own});
                    if (sorted[0] >= 25 && failure.isEmpty()) {
                        served = n;
                    } else if (failure.isEmpty()) {
                        failure = String.format(Locale.ROOT, "; at %d the slowest got %.1f fps (median %.1f, %d frames missing)", n,
                                sorted[0], percentile(sorted, 0.5), missing);
                        if (cores + own >= 0.85 * CORES) {
                            bound = String.format(Locale.ROOT, " (there the relay used %.2f and the receivers %.2f of the %d cores"
                                    + " they share: the machine's CPU ran out, the receivers' share included)", cores, own, CORES);
                        }
                    }
                    // Every viewer got every frame the source made (the slowest within 10% of the median, at most
                    // 1% missing): the relay kept up, even when the source itself slowed under the machine's load.
                    boolean relayKeptUp = sorted[0] >= 0.9 * percentile(sorted, 0.5) && missing <= 0.01 * 30 * seconds * n
                            && sorted[0] >= 15;
                    if (relayKeptUp && stillKeptUp) {
                        keptUp = n;
                    } else {
                        stillKeptUp = false;
                    }
                    if (!relayKeptUp && sorted[0] < 25) {
                        break;
                    }
                }
                double atLargest = perViewerAt30Fps(cpuByViewers);
                say(String.format(Locale.ROOT, "%s, 640x480@30 ~1 Mbit/s: %d viewers each >= 25 fps%s%s; %d viewers all receiving every frame the"
                                + " source made; relay process CPU %s -> %.4f core per extra viewer (least squares), %.4f at 30 fps"
                                + " (at the largest step with a median >= 25 fps: (cores - cores at 1) / (viewers - 1) x 30 / its"
                                + " median fps, since a loaded machine slows the source); receivers' process (%s) %s -> %.4f core per extra viewer;"
                                + " load average now %s",
                        mode, served, failure.isEmpty() ? " (the run's last step)" : failure, bound, keptUp, describeCpu(cpuByViewers),
                        slope(cpuByViewers), atLargest, load.describe(), describeCpu(rxByViewers), slope(rxByViewers), CpuMeter.loadAverage()));
                if (!transcode) {
                    say(String.format(Locale.ROOT, "goal >= 100 viewers each >= 25 fps on %d cores (relay and receivers sharing them): %s (%d);"
                                    + " goal <= 0.01 core of relay CPU per extra viewer (at 30 fps): %s (%.4f)", CORES,
                            served >= 100 ? "MET" : "NOT MET", served, atLargest <= 0.01 ? "MET" : "NOT MET", atLargest));
                }
            }
        }
    }

    /** The relay's load viewers: wire viewers, or GStreamer receivers with {@code -Dmeasure.receivers=gstreamer}. */
    private static LoadReceivers loadReceivers(URI ws, String room, double fps) {
        String which = System.getProperty("measure.receivers", "wire");
        return switch (which) {
            case "wire", "" -> new WireViewers(ws, room, fps);
            case "gstreamer" -> new LoadViewers(ws, room, fps);
            default -> throw new IllegalArgumentException("measure.receivers must be wire or gstreamer, was " + which);
        };
    }

    /** {@code "1,25,50"} as numbers of viewers. */
    private static int[] steps(String list) {
        return java.util.Arrays.stream(list.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    }

    private static String describeCpu(List<double[]> points) {
        StringBuilder b = new StringBuilder();
        for (double[] p : points) {
            b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f at %d", p[1], (int) p[0]));
        }
        return b.toString();
    }

    /**
     * Relay CPU per extra viewer, scaled to a 30 fps source, at the largest step whose median viewer
     * got >= 25 fps (else the largest step): {@code points} are (viewers, cores, median fps), the
     * first one the 1-viewer step. A step where the loaded machine slowed the source far below 30 fps
     * would overstate it (the audio's packets do not slow with the video). NaN with one step.
     */
    private static double perViewerAt30Fps(List<double[]> points) {
        if (points.size() < 2) {
            return Double.NaN;
        }
        double[] first = points.get(0);
        double[] at = points.get(points.size() - 1);
        for (double[] p : points.subList(1, points.size())) {
            if (p[2] >= 25) {
                at = p;
            }
        }
        return (at[1] - first[1]) / (at[0] - first[0]) * 30 / Math.max(1, at[2]);
    }

    /** Least-squares slope of cores against viewers. */
    private static double slope(List<double[]> points) {
        if (points.size() < 2) {
            return Double.NaN;
        }
        double mx = points.stream().mapToDouble(p -> p[0]).average().orElse(0);
        double my = points.stream().mapToDouble(p -> p[1]).average().orElse(0);
        double num = 0;
        double den = 0;
        for (double[] p : points) {
            num += (p[0] - mx) * (p[1] - my);
            den += (p[0] - mx) * (p[0] - mx);
        }
        return num / den;
    }

    // ------------------------------------------------------------------ glass-to-glass through the relay

    /**
     * A publisher page whose "camera" is a canvas showing the wall clock as ClockStamp's barcode
     * (the getUserMedia of every page is replaced before the page runs), through {@code relay
     * --browser-publisher} to a viewer page in the same browser, which reads the barcode back.
     */
    private void relayGlassToGlass(boolean transcode) throws Exception {
        List<String> args = new ArrayList<>(List.of("relay", "--browser-publisher", "--loopback", "--port", "0", "--room", "g2g"));
        if (transcode) {
            args.add("--transcode");
        }
        double[] latency;
        String sizes;
        try (SampleProcess sample = new SampleProcess(dir, args.toArray(String[]::new));
              HeadlessChromium chromium = HeadlessChromium.launch(List.of(EncodedRelayTest.NO_MDNS))) {
            ((org.openqa.selenium.chrome.ChromeDriver) chromium.driver()).executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
                    java.util.Map.of("source", CLOCK_CAMERA));
            URI viewerPage = sample.page(Duration.ofSeconds(120));
            chromium.open(viewerPage.resolve("publisher.html?room=g2g&to=relay"));
            chromium.waitFor(Duration.ofSeconds(30), "the publisher sends", "return window.psPublisher.framesSent > 0;");
            ViewerPage viewer = new ViewerPage(chromium, chromium.newWindow(viewerPage));
            viewer.awaitFrames(Duration.ofSeconds(30), "the viewer");
            Thread.sleep(WARM_UP.toMillis());
            chromium.driver().manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
            @SuppressWarnings("unchecked")
            List<Number> samples = (List<Number>) ((org.openqa.selenium.JavascriptExecutor) chromium.driver()).executeAsyncScript(
                    LATENCY_BOUNDED, 90, 45_000);
            latency = samples.stream().mapToDouble(Number::doubleValue).filter(x -> x >= 0 && x < 10_000).sorted().toArray();
            sizes = String.valueOf(chromium.script("return JSON.stringify(window.psSizes);"));
        }
        say(String.format(Locale.ROOT, "glass-to-glass through %s, publisher page (canvas clock, 640x480) -> viewer page: median %.0f ms, p90 %.0f ms (%d frames; sizes shown %s)",
                transcode ? "relay --transcode" : "relay (encoded)", percentile(latency, 0.5), percentile(latency, 0.9), latency.length, sizes));
    }

    /**
     * As {@link #LATENCY}, but polled by a 4 ms timer (requestVideoFrameCallback does not fire in
     * every headless window): each time the video element's frame counter moves, the barcode of
     * the frame shown is read. Returns what it has after {@code arguments[1]} ms.
     */
    private static final String LATENCY_BOUNDED = """
            const n = arguments[0];
            const limitMs = arguments[1];
            const done = arguments[arguments.length - 1];
            const v = document.getElementById('remote');
            const c = document.createElement('canvas');
            c.width = 336; c.height = 32;
            const ctx = c.getContext('2d', { willReadFrequently: true });
            const out = [];
            let last = -1;
            const sizes = {};
            const started = Date.now();
            const timer = setInterval(() => {
              const frames = v.getVideoPlaybackQuality().totalVideoFrames;
              if (frames !== last) {
                last = frames;
                const now = Date.now();
                // the stamp was drawn on a 640x480 canvas; the browser may send (and the relay pass on) a smaller picture
                const sx = v.videoWidth / 640, sy = v.videoHeight / 480;
                ctx.drawImage(v, 0, 0, 336 * sx, 32 * sy, 0, 0, 336, 32);
                const d = ctx.getImageData(0, 0, 336, 32).data;
                let ms = 0;
                for (let bit = 0; bit < 42; bit++) {
                  const x = (bit % 21) * 16 + 8, y = Math.floor(bit / 21) * 16 + 8;
                  if (d[(y * 336 + x) * 4] > 128) ms += 2 ** bit;
                }
                out.push(now - ms);
                sizes[v.videoWidth + 'x' + v.videoHeight] = (sizes[v.videoWidth + 'x' + v.videoHeight] || 0) + 1;
              }
              if (out.length >= n || Date.now() - started > limitMs) { clearInterval(timer); console.log(JSON.stringify(sizes)); window.psSizes = sizes; done(out); }
            }, 4);
            """;

    /** Replaces getUserMedia: a 640x480 canvas at 30 fps showing Date.now() as ClockStamp's barcode, and a tone. */
    private static final String CLOCK_CAMERA = """
            (() => {
              navigator.mediaDevices.getUserMedia = async (constraints) => {
                const canvas = document.createElement('canvas');
                canvas.width = 640; canvas.height = 480;
                const ctx = canvas.getContext('2d');
                let n = 0;
                const draw = () => {
                  const ms = Date.now();
                  ctx.fillStyle = `hsl(${(n++ * 3) % 360}, 60%, 40%)`;
                  ctx.fillRect(0, 0, 640, 480);
                  for (let bit = 0; bit < 42; bit++) {
                    ctx.fillStyle = Math.floor(ms / 2 ** bit) % 2 === 1 ? '#fff' : '#000';
                    ctx.fillRect((bit % 21) * 16, Math.floor(bit / 21) * 16, 16, 16);
                  }
                };
                draw();
                setInterval(draw, 4);
                const stream = canvas.captureStream(30);
                if (constraints && constraints.audio) {
                  const ac = new AudioContext();
                  const osc = ac.createOscillator();
                  const dest = ac.createMediaStreamDestination();
                  osc.connect(dest);
                  osc.start();
                  stream.addTrack(dest.stream.getAudioTracks()[0]);
                }
                return stream;
              };
            })();
            """;

    // ------------------------------------------------------------------ recorder CPU

    /**
     * The remux recorder with one browser session, then with {@code -Dmeasure.sessions} (default 3)
     * for the marginal cost of a session, and the --transcode recorder with one.
     * {@code -Dmeasure.baseline=<class path of another build>}: that build's remux recorder is
     * measured in turn with this one, in two rounds (A/B interleaved).
     */
    private void recorders() {
        RecorderMeasurement r = new RecorderMeasurement(dir, this::say);
        int sessions = Integer.getInteger("measure.sessions", 3);
        againstBaseline("recorder (remux)", (cp, baseline) -> remux(r, cp, baseline, sessions));
        part("recorder (--transcode)", () -> r.run(true, OWN_BUILD, false, 1));
    }

    /** One figure of the build on {@code classpath}. */
    private interface BuildPart {
        void run(String classpath, boolean baseline) throws Exception;
    }

    /**
     * Measures this build; with {@code -Dmeasure.baseline=<class path of another build>}, that build
     * and this one in turn, twice (A/B interleaved). Returns whether a baseline was measured.
     */
    private boolean againstBaseline(String what, BuildPart measure) {
        String baseline = System.getProperty("measure.baseline", "");
        for (int round = 0; round < (baseline.isBlank() ? 1 : 2); round++) {
            if (!baseline.isBlank()) {
                part(what + ", baseline build", () -> measure.run(baseline, true));
            }
            part(what, () -> measure.run(OWN_BUILD, false));
        }
        return !baseline.isBlank();
    }

    /** The remux recorder of the build on {@code classpath} with one session, then with {@code sessions} for the marginal cost. */
    private static void remux(RecorderMeasurement r, String classpath, boolean baseline, int sessions) throws Exception {
        RecorderMeasurement.Result one = r.run(false, classpath, baseline, 1);
        if (sessions > 1) {
            r.marginal(baseline ? ", baseline build" : "", one, r.run(false, classpath, baseline, sessions));
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
