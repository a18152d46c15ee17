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
 * page's own MediaRecorder records the same captured stream as the reference. Both files are read
 * back by Debian's ffprobe from their own presentation times ({@link AvSyncMarkers}).
 */
@Timeout(150)
class RecordingSyncTest {
    static final int SECONDS = 22;
    static final double TOLERANCE_MS = 40;
    static final int SETTLING_PAIRS = 2;
    /** How far Chromium's own flashes may be from a second apart for its recording to serve as the reference. */
    static final double REFERENCE_SLACK = 0.06;

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
            chromium.script("const r = new MediaRecorder(window.psCaptured, {mimeType: 'video/webm;codecs=vp8,opus', videoBitsPerSecond: 600000});"
                    + " window.psReference = {recorder: r, chunks: []};"
                    + " r.ondataavailable = (e) => window.psReference.chunks.push(e.data); r.start(1000);");
            chromium.driver().manage().timeouts().scriptTimeout(Duration.ofSeconds(SECONDS + 30));
            String reference = (String) ((JavascriptExecutor) chromium.driver()).executeAsyncScript(
                    "const done = arguments[arguments.length - 1];"
                            + " setTimeout(() => { const ref = window.psReference;"
                            + "   ref.recorder.onstop = () => { const f = new FileReader();"
                            + "     f.onload = () => done(f.result.substring(f.result.indexOf(',') + 1));"
                            + "     f.readAsDataURL(new Blob(ref.chunks, {type: 'video/webm'})); };"
                            + "   ref.recorder.stop(); window.psRecorderStop(); }, " + SECONDS * 1000 + ");");
            recording.finished().get(60, TimeUnit.SECONDS);
            Path referenceFile = Files.write(dir.resolve("reference.webm"), Base64.getDecoder().decode(reference));

            AvSync browser = AvSyncMarkers.measure(referenceFile);
            AvSync recorded = AvSyncMarkers.measure(recording.file());
            System.out.println("reference (Chromium's MediaRecorder) " + browser.describe());
            System.out.println("recorded (browser-to-recorder)       " + recorded.describe());

            List<Double> differences = recorded.differencesMs(browser);
            double median = median(differences);
            System.out.println("recorded minus reference, pair by pair (ms): " + differences.stream()
                    .map(d -> String.format(java.util.Locale.ROOT, "%+.0f", d)).toList()
                    + String.format(java.util.Locale.ROOT, "; median %+.0f ms", median));
            // The absolute criterion (every pair within 40 ms of Chromium's own recording's
            // offset) is printed, not asserted: the remux path follows the sender's RTCP reports (within
            // 0-5 ms), and Chromium's reports place video about 40 ms later against audio than its
            // MediaRecorder does; the libwebrtc path's offset is set by the start-up playout delays
            // (samples/README.md, "A/V sync of recordings").
            System.out.println(String.format(java.util.Locale.ROOT, "absolute: %d of %d pairs within %.0f ms of Chromium's own"
                    + " recording's offset; load average %s", differences.stream().filter(d -> Math.abs(d) <= TOLERANCE_MS).count(),
                    differences.size(), TOLERANCE_MS, loadAverage()));
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
            // ...and does not trend (before the fix it fell by 8-10 ms a second).
            assertThat(differences.get(differences.size() - 1) - differences.get(SETTLING_PAIRS))
                    .as("the last pair's difference minus the first's").isCloseTo(0, within(TOLERANCE_MS));
            // Pace: the remux path follows the sender's RTP clock (0.0-0.3 ms/s in CI runs); the libwebrtc
            // path follows the samples its playout pulled, corrected by NetEq's own figures, and read
            // -1.6 ms/s in one CI run (its beeps 998.4 ms apart): it is held to the issue's own trend
            // bound spread over the clip, 40 ms in 22 s (1.8 ms/s); before the fix it read -10.6 ms/s.
            double paceBound = transcode ? TOLERANCE_MS / SECONDS : 1.0;
            assertThat(recorded.beepPeriodMs() - recorded.flashPeriodMs() - (browser.beepPeriodMs() - browser.flashPeriodMs()))
                    .as("beeps and flashes keep the same pace as in Chromium's own recording (ms per second)")
                    .isCloseTo(0, within(paceBound));
        }
    }
}
