package dev.packetstream.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.packetstream.av.Container;
import dev.packetstream.av.testing.AvSync;
import dev.packetstream.av.testing.AvSyncMarkers;
import dev.packetstream.core.media.FrameSize;
import dev.packetstream.samples.common.ServerOptions;
import dev.packetstream.samples.recorder.BrowserToRecorder;
import dev.packetstream.samples.recorder.Recording;
import dev.packetstream.signaling.testing.HeadlessChromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A/V sync of browser-to-recorder, end to end: headless Chromium publishes a marker clip (a white
 * flash and a 1 kHz beep at every whole second) through the recorder page for 22 s, while the
 * page's own MediaRecorder records the same captured stream as the reference (with PCM audio, see
 * {@link #REFERENCE_TYPE}; a second one with Opus, the first reference, is printed beside
 * it). The files are read back by Debian's ffprobe from their own presentation times
 * ({@link AvSyncMarkers}). Asserted: every pair within 40 ms of the reference's offset for that
 * pair, no trend (last minus first within 40 ms), and for the remux path no pace (1 ms/s).
 */
@Timeout(150)
class RecordingSyncTest {
    static final int SECONDS = 22;
    static final double TOLERANCE_MS = 40;
    static final int SETTLING_PAIRS = 2;
    /** How far Chromium's own flashes may be from a second apart for its recording to serve as the reference. */
    static final double REFERENCE_SLACK = 0.06;

    /**
     * The reference: Chromium's MediaRecorder with uncompressed audio. With Opus its audio comes
     * ~55 ms later against video than with PCM on the very same stream (measured in every run and
     * printed): its Opus encoder stamps each 60 ms packet late and writes no pre-skip, which is the
     * encoder's artefact, not the capture's timing.
     */
    static final String REFERENCE_TYPE = "video/x-matroska;codecs=vp8,pcm";
    /** The first reference, printed beside the other. */
    static final String OPUS_TYPE = "video/webm;codecs=vp8,opus";

    @TempDir
    static Path dir;
    static Path video;
    static Path audio;

    @BeforeAll
    static void clips() throws Exception {
        HeadlessChromium.assumeAvailable();
        MediaTools.assumeAvailable();
        video = AvSyncMarkers.videoY4m(dir, 320, 240, 30, 30);
        audio = AvSyncMarkers.audioWav(dir, 30);
    }

    static double median(List<Double> values) {
        List<Double> sorted = new java.util.ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The least-squares slope of {@code values} from index {@code from} on, per index. */
    static double slopePerPair(List<Double> values, int from) {
        List<Double> v = values.subList(Math.min(from, values.size()), values.size());
        return AvSync.leastSquaresSlope(java.util.stream.IntStream.range(0, v.size()).asDoubleStream().toArray(),
                v.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Starts a MediaRecorder named {@code name} on the stream the page captured and publishes. */
    static void startReference(HeadlessChromium chromium, String name, String mimeType) {
        chromium.script("const r = new MediaRecorder(window.psCaptured, {mimeType: arguments[1], videoBitsPerSecond: 600000});"
                + " window.psReferences = window.psReferences || {};"
                + " const ref = {recorder: r, chunks: [], stopped: false}; window.psReferences[arguments[0]] = ref;"
                + " r.ondataavailable = (e) => ref.chunks.push(e.data); r.onstop = () => { ref.stopped = true; }; r.start(1000);",
                name, mimeType);
    }

    /** Waits until the stopped MediaRecorder {@code name} has its last data, and writes its file. */
    static Path saveReference(HeadlessChromium chromium, String name, Path file) throws Exception {
        String base64 = (String) ((JavascriptExecutor) chromium.driver()).executeAsyncScript(
                "const done = arguments[arguments.length - 1]; const ref = window.psReferences[arguments[0]];"
                        + " const read = () => { const f = new FileReader();"
                        + "   f.onload = () => done(f.result.substring(f.result.indexOf(',') + 1));"
                        + "   f.readAsDataURL(new Blob(ref.chunks)); };"
                        + " if (ref.stopped) read(); else ref.recorder.addEventListener('stop', read);", name);
        return Files.write(file, Base64.getDecoder().decode(base64));
    }

    /** The 1, 5 and 15 minute load averages, printed beside the figures (timing depends on them). */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** Both recording paths: the default remux (the browser's encoded media as it is) and {@code --transcode}. */
    @ParameterizedTest(name = "transcode={0}")
    @ValueSource(booleans = {false, true})
    void everyBeepKeepsItsDistanceFromItsFlashAsInTheBrowsersOwnRecordingForTwentySeconds(boolean transcode) throws Exception {
        Path recordings = dir.resolve("recordings-" + (transcode ? "transcode" : "remux"));
        ServerOptions server = ServerOptions.of(0, "sync", true);
        try (BrowserToRecorder sample = transcode
                ? BrowserToRecorder.startTranscoding(server, recordings, Container.WEBM, new FrameSize(320, 240))
                : BrowserToRecorder.start(server, recordings, Container.WEBM);
             HeadlessChromium chromium = HeadlessChromium.launch(List.of("--use-file-for-fake-video-capture=" + video,
                     "--use-file-for-fake-audio-capture=" + audio, EncodedRelayTest.NO_MDNS))) {
            // Keep the stream the page captures, so that the page's MediaRecorder records exactly what it publishes.
            ((ChromeDriver) chromium.driver()).executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                    "const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);"
                            + " navigator.mediaDevices.getUserMedia = async (c) => { const s = await gum(c); window.psCaptured = s; return s; };"));
            chromium.open(sample.recorderPage().resolve("recorder.html?room=sync&autostart=1"));
            chromium.waitFor(Duration.ofSeconds(20), "the browser sends frames",
                    "return window.psCaptured !== undefined && window.psRecorder.framesSent > 0;");
            Recording recording = sample.recordings().get(0);
            assertThat(chromium.script("return MediaRecorder.isTypeSupported('" + REFERENCE_TYPE + "');"))
                    .as("this Chromium records %s (the reference); without it nothing can be judged", REFERENCE_TYPE).isEqualTo(true);
            startReference(chromium, "pcm", REFERENCE_TYPE);
            startReference(chromium, "opus", OPUS_TYPE);
            chromium.driver().manage().timeouts().scriptTimeout(Duration.ofSeconds(SECONDS + 30));
            ((JavascriptExecutor) chromium.driver()).executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + " setTimeout(() => { window.psReferences.pcm.recorder.stop(); window.psReferences.opus.recorder.stop();"
                    + "   window.psRecorderStop(); done(); }, " + SECONDS * 1000 + ");");
            recording.finished().get(60, TimeUnit.SECONDS);
            AvSync browser = AvSyncMarkers.measure(saveReference(chromium, "pcm", dir.resolve("reference.mkv")));
            AvSync browserOpus = AvSyncMarkers.measure(saveReference(chromium, "opus", dir.resolve("reference-opus.webm")));
            AvSync recorded = AvSyncMarkers.measure(recording.file());
            System.out.println("reference (Chromium's MediaRecorder, PCM) " + browser.describe());
            System.out.println("Chromium's MediaRecorder, Opus          " + browserOpus.describe());
            System.out.println(String.format(java.util.Locale.ROOT, "Chromium's Opus recording minus its PCM recording of the same stream: median %+.0f ms",
                    median(browserOpus.differencesMs(browser))));
            System.out.println("recorded (browser-to-recorder)          " + recorded.describe());

            List<Double> differences = recorded.differencesMs(browser);
            double median = median(differences);
            System.out.println("recorded minus reference, pair by pair (ms): " + differences.stream()
                    .map(d -> String.format(java.util.Locale.ROOT, "%+.0f", d)).toList()
                    + String.format(java.util.Locale.ROOT, "; median %+.0f ms", median));
            System.out.println(String.format(java.util.Locale.ROOT, "absolute: %d of %d pairs within %.0f ms of Chromium's own"
                    + " recording's offset; load average %s", differences.stream().filter(d -> Math.abs(d) <= TOLERANCE_MS).count(),
                    differences.size(), TOLERANCE_MS, loadAverage()) + String.format(java.util.Locale.ROOT,
                    "; slope of the difference %+.2f ms/s", slopePerPair(differences, SETTLING_PAIRS)));
            assertThat(browser.pairs()).as("flash/beep pairs in Chromium's own recording").hasSizeGreaterThanOrEqualTo(SECONDS - 4);
            // The reference must be one: on an overloaded machine Chromium's fake camera falls behind
            // (its frames come late: flashes more than a second apart), and nothing can be judged against it.
            assertThat(browser.flashPeriodMs())
                    .as("Chromium's own recording did not keep time (flashes %.0f ms apart, %d frames in %d s): the machine is"
                            + " too loaded to measure A/V sync; rerun when it is quieter", browser.flashPeriodMs(), browser.videoFrames(), SECONDS)
                    .isLessThan(1000 * (1 + REFERENCE_SLACK));
            assertThat(recorded.pairs()).as("flash/beep pairs in the recording").hasSizeGreaterThanOrEqualTo(SECONDS - 4);
            assertThat(differences).as("pairs lined up with Chromium's own recording").hasSizeGreaterThanOrEqualTo(SECONDS - 6);
            // The recording keeps each beep where Chromium's own recording has it, pair after pair:
            // its offset minus Chromium's stays within 40 ms of that difference's median (from the
            // third pair on: libwebrtc settles its playout delays while the first sender reports come in)...
            for (int i = SETTLING_PAIRS; i < differences.size(); i++) {
                assertThat(differences.get(i)).as("pair %d: the recording's offset minus Chromium's own recording's, against their median %.0f ms",
                        i, median).isCloseTo(median, within(TOLERANCE_MS));
            }
            // ...every pair is within 40 ms of Chromium's own recording's offset for that pair (the
            // remux path from the first pair; the libwebrtc path once it has settled)...
            for (int i = transcode ? SETTLING_PAIRS : 0; i < differences.size(); i++) {
                assertThat(differences.get(i)).as("pair %d: the recording's offset minus Chromium's own recording's", i)
                        .isCloseTo(0, within(TOLERANCE_MS));
            }
            // ...and does not trend (before the fix it fell by 8-10 ms a second).
            assertThat(differences.get(differences.size() - 1) - differences.get(SETTLING_PAIRS))
                    .as("the last pair's difference minus the first's").isCloseTo(0, within(TOLERANCE_MS));
            // Pace, remux path: it follows the sender's RTP clock, so the recording's offset minus
            // Chromium's, pair by pair (a second apart), must not slope by more than 1 ms/s (least
            // squares over the settled pairs: a late first frame or a stall of Chromium's camera, which
            // both recordings show, does not read as a pace; it reads 0.0-0.3 ms/s). The libwebrtc path
            // follows the samples its playout pulled, corrected by NetEq's own figures, and its pairs
            // scatter and step by 20-30 ms under load (A/V sync moving the delays): it is held to the
            // issue's own bounds above, every pair within 40 ms and last minus first within 40 ms
            // (a drift of 1.8 ms/s fails them in 22 s; before the fix it drifted by 10.6 ms/s).
            if (!transcode) {
                assertThat(slopePerPair(differences, SETTLING_PAIRS))
                        .as("the recording's offset minus Chromium's own, change per second (least squares from pair %d)", SETTLING_PAIRS)
                        .isCloseTo(0, within(1.0));
            }
        }
    }
}
