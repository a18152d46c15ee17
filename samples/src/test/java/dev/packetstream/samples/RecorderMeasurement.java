package dev.packetstream.samples;

import dev.packetstream.signaling.testing.HeadlessChromium;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The recorder's CPU figures of {@link SamplesMeasurement}: browser-to-recorder as a child JVM,
 * {@code sessions} browser windows each publishing the fake camera (a 1280x720 y4m clip at 30 fps)
 * and microphone to it, the recorder process's CPU over a window after a warm-up.
 *
 * <p>Besides the cores it prints the RTP packets the browser windows sent in the window (read
 * from each peer connection's {@code outbound-rtp} statistics, retransmissions included) and
 * the CPU per packet: the browser's bitrate, and so its packet rate, moves from run to run, and the
 * recorder's work is per packet. With several sessions the line says the marginal cost of a
 * session against the 1-session run of the same build just before it: the process also has costs
 * that do not grow with sessions (the signaling server, the JIT, GC).
 */
final class RecorderMeasurement {
    private static final Duration WARM_UP = Duration.ofSeconds(5);
    private static final Duration WINDOW = Duration.ofSeconds(15);

    /** Wraps RTCPeerConnection so that the measurement can read every connection's statistics. */
    private static final String CAPTURE_CONNECTIONS = """
            (() => {
              const Original = window.RTCPeerConnection;
              window.__measuredConnections = [];
              window.RTCPeerConnection = function (...args) {
                const pc = new Original(...args);
                window.__measuredConnections.push(pc);
                return pc;
              };
              window.RTCPeerConnection.prototype = Original.prototype;
            })();
            """;

    /** RTP packets sent so far by the window's connections (media and retransmissions). */
    private static final String PACKETS_SENT = """
            const done = arguments[arguments.length - 1];
            (async () => {
              let n = 0;
              for (const pc of window.__measuredConnections || []) {
                (await pc.getStats()).forEach((r) => { if (r.type === 'outbound-rtp') n += r.packetsSent || 0; });
              }
              done(n);
            })();
            """;

    /** One run's figures. */
    record Result(int sessions, double cores, double packetsPerSecond, String line) {
        double microsPerPacket() {
            return packetsPerSecond > 0 ? cores * 1e6 / packetsPerSecond : Double.NaN;
        }
    }

    private final Path dir;
    private final Consumer<String> say;

    RecorderMeasurement(Path dir, Consumer<String> say) {
        this.dir = dir;
        this.say = say;
    }

    /**
     * Runs the recorder of {@code classpath} ({@code baseline}: another build's) with {@code sessions}
     * browser windows and prints its line.
     */
    Result run(boolean transcode, String classpath, boolean baseline, int sessions) throws Exception {
        Path clip = MediaTools.y4mClip(dir, 1280, 720, 30, 4);
        Path recordings = Files.createTempDirectory(dir, transcode ? "recordings-transcode" : "recordings-remux");
        List<String> args = new ArrayList<>(List.of("browser-to-recorder", "--loopback", "--port", "0", "--room", "rec-m",
                "--recordings", recordings.toString()));
        if (transcode) {
            args.add("--transcode");
        }
        try (SampleProcess sample = SampleProcess.onClassPath(dir, classpath, args.toArray(String[]::new));
             HeadlessChromium chromium = HeadlessChromium.launch(List.of("--use-file-for-fake-video-capture=" + clip,
                     EncodedRelayTest.NO_MDNS))) {
            URI page = sample.page(Duration.ofSeconds(120)).resolve("recorder.html?room=rec-m&autostart=1");
            List<String> windows = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                if (i > 0) {
                    chromium.driver().switchTo().newWindow(WindowType.WINDOW);
                }
                ((ChromeDriver) chromium.driver()).executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
                        Map.of("source", CAPTURE_CONNECTIONS));
                windows.add(chromium.open(page));
            }
            for (String w : windows) {
                chromium.switchTo(w);
                chromium.waitFor(Duration.ofSeconds(30), "the browser sends frames", "return window.psRecorder.framesSent > 0;");
            }
            Thread.sleep(WARM_UP.toMillis());
            CpuMeter cpu = new CpuMeter(sample.pid());
            long sent0 = framesSent(chromium, windows);
            long packets0 = packetsSent(chromium, windows);
            long t0 = System.nanoTime();
            cpu.start();
            Thread.sleep(WINDOW.toMillis());
            double cores = cpu.cores();
            long packets = packetsSent(chromium, windows) - packets0;
            double seconds = (System.nanoTime() - t0) / 1e9;
            double fps = (framesSent(chromium, windows) - sent0) / seconds / sessions;
            double packetRate = packets / seconds;
            chromium.switchTo(windows.get(0));
            String size = String.valueOf(chromium.script(
                    "const v = document.getElementById('local'); return v.videoWidth + 'x' + v.videoHeight;"));
            String sending = String.valueOf(chromium.script("return document.getElementById('stats').textContent;"));
            for (String w : windows) {
                chromium.switchTo(w);
                chromium.script("window.psRecorderStop();");
            }
            int exit = sample.terminate(Duration.ofSeconds(60));
            sample.output().lines().filter(l -> l.contains("recording finished") || l.contains("WARN") || l.contains("ERROR"))
                    .forEach(l -> System.out.println("recorder: " + l));
            List<String> recorded = new ArrayList<>();
            try (var files = Files.list(recordings)) {
                for (Path f : files.sorted().toList()) {
                    MediaTools.Probe p = MediaTools.probe(f);
                    recorded.add(p.width() + "x" + p.height() + ", " + p.videoFrames() + " frames, " + Math.round(p.durationSeconds()) + " s");
                }
            }
            String line = String.format(Locale.ROOT,
                    "browser-to-recorder%s, %s (camera %s from a y4m clip at 30 fps; browser sent %.1f fps%s; its overlay at the end: '%s'):"
                            + " recorder process %.3f cores (%s); browser sent %.0f RTP packets/s, %.0f us of recorder CPU per packet;"
                            + " file%s %s; exit %d; load average %s",
                    transcode ? " --transcode" : baseline ? " (remux, baseline build)" : " (remux)",
                    sessions == 1 ? "one browser session" : sessions + " browser sessions", size, fps, sessions == 1 ? "" : " per session",
                    sending, cores, transcode ? "receive + decode + scale + VP8/Opus encode + WebM mux" : "receive + WebM mux of the browser's VP8/Opus",
                    packetRate, cores * 1e6 / packetRate, recorded.size() == 1 ? "" : "s", String.join("; ", recorded), exit,
                    CpuMeter.loadAverage());
            say.accept(line);
            return new Result(sessions, cores, packetRate, line);
        }
    }

    /** Prints what a session adds: {@code many} against {@code one}, both of the same build, run one after the other. */
    void marginal(String build, Result one, Result many) {
        double perSession = (many.cores() - one.cores()) / (many.sessions() - one.sessions());
        double perPacket = (many.cores() - one.cores()) * 1e6 / (many.packetsPerSecond() - one.packetsPerSecond());
        say.accept(String.format(Locale.ROOT,
                "browser-to-recorder (remux%s): marginal cost of a session %.3f cores ((%.3f at %d sessions - %.3f at 1) / %d;"
                        + " the whole process with one session: %.3f), %.0f us per extra RTP packet; load average %s",
                build, perSession, many.cores(), many.sessions(), one.cores(), many.sessions() - one.sessions(), one.cores(),
                perPacket, CpuMeter.loadAverage()));
    }

    private static long packetsSent(HeadlessChromium chromium, List<String> windows) {
        long n = 0;
        for (String w : windows) {
            chromium.switchTo(w);
            n += ((Number) ((JavascriptExecutor) chromium.driver()).executeAsyncScript(PACKETS_SENT)).longValue();
        }
        return n;
    }

    private static long framesSent(HeadlessChromium chromium, List<String> windows) {
        long n = 0;
        for (String w : windows) {
            chromium.switchTo(w);
            n += ((Number) chromium.script("return window.psRecorder.framesSent;")).longValue();
        }
        return n;
    }
}
