package dev.packetstream.av.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A/V sync markers, made and read back by Debian's {@code ffmpeg}/{@code ffprobe} (an FFmpeg
 * outside the code under test): a clip whose video flashes white and whose audio beeps (1 kHz) for
 * 100 ms at every whole second, and a reader that finds, in any recorded file and from the file's
 * own presentation times, when each flash and each beep begins.
 *
 * <h2>Reading</h2>
 * Video: the mean luma of every decoded frame ({@code signalstats}); a flash begins at the first
 * frame brighter than half-way between the file's darkest and brightest frame. Audio: the RMS
 * level of every 5 ms window ({@code asetnsamples} keeps each window's time from the decoded
 * frames' own timestamps, {@code astats}); a beep begins at the first window within 20 dB of the
 * loudest. Each flash is paired with the beep nearest to it (within half a second); a pair's
 * offset is audio time minus video time.
 */
public final class AvSyncMarkers {
    /** How long each flash and beep lasts. */
    public static final double MARKER_SECONDS = 0.1;
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final double MIN_GAP_SECONDS = 0.5;

    private AvSyncMarkers() {
    }

    /**
     * A y4m clip (for Chromium's {@code --use-file-for-fake-video-capture}): dark grey, white for
     * the first 100 ms of every second. Chromium loops it, so any whole number of seconds works.
     */
    public static Path videoY4m(Path dir, int width, int height, int fps, int seconds) throws IOException, InterruptedException {
        Path out = dir.resolve("markers-" + width + "x" + height + "-" + fps + ".y4m");
        run(dir, List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", videoSource(width, height, fps),
                "-t", String.valueOf(seconds), "-pix_fmt", "yuv420p", out.toString()));
        return out;
    }

    /**
     * A 48 kHz mono WAV (for Chromium's {@code --use-file-for-fake-audio-capture}): silence, a
     * 1 kHz beep for the first 100 ms of every second.
     */
    public static Path audioWav(Path dir, int seconds) throws IOException, InterruptedException {
        Path out = dir.resolve("markers-48k.wav");
        run(dir, List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", audioSource(), "-t", String.valueOf(seconds),
                "-c:a", "pcm_s16le", out.toString()));
        return out;
    }

    /** Both in one file (MJPEG video, 48 kHz stereo PCM, Matroska), for file sources. */
    public static Path clipMkv(Path dir, int width, int height, int fps, int seconds) throws IOException, InterruptedException {
        Path out = dir.resolve("markers-" + width + "x" + height + "-" + fps + "-" + seconds + "s.mkv");
        run(dir, List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", videoSource(width, height, fps),
                "-f", "lavfi", "-i", audioSource(), "-t", String.valueOf(seconds), "-c:v", "mjpeg", "-q:v", "3",
                "-pix_fmt", "yuvj420p", "-c:a", "pcm_s16le", "-ac", "2", out.toString()));
        return out;
    }

    private static String videoSource(int width, int height, int fps) {
        return "color=c=0x303030:size=" + width + "x" + height + ":rate=" + fps
                + ",drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill:enable='lt(mod(t\\,1)\\," + MARKER_SECONDS + ")'";
    }

    private static String audioSource() {
        // evaluated per sample, so each beep starts exactly on the second
        return "aevalsrc='if(lt(mod(t\\,1)\\," + MARKER_SECONDS + ")\\,0.5*sin(2*PI*1000*t)\\,0)':s=48000:c=mono";
    }

    /** Finds the flashes and beeps in {@code file} and pairs them. */
    public static AvSync measure(Path file) throws IOException, InterruptedException {
        Path dir = file.toAbsolutePath().getParent();
        String name = file.getFileName().toString();
        Path copy = null;
        if (!SAFE_NAME.matcher(name).matches()) { // the name goes into a filter graph: keep it plain
            copy = Files.createTempFile(dir, "measure-", name.substring(Math.max(0, name.lastIndexOf('.'))));
            Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
            name = copy.getFileName().toString();
        }
        try {
            List<double[]> luma = csv(run(dir, List.of("ffprobe", "-v", "error", "-f", "lavfi", "-i", "movie=" + name + ",signalstats",
                    "-show_entries", "frame=pts_time:frame_tags=lavfi.signalstats.YAVG", "-of", "csv=p=0")));
            List<double[]> level = csv(run(dir, List.of("ffprobe", "-v", "error", "-f", "lavfi", "-i",
                    "amovie=" + name + ",aformat=channel_layouts=mono,asetnsamples=n=240:p=0,astats=metadata=1:reset=1",
                    "-show_entries", "frame=pts_time:frame_tags=lavfi.astats.Overall.RMS_level", "-of", "csv=p=0")));
            return new AvSync(file, onsets(luma, half(luma)), onsets(level, loudestMinus20(level)), luma.size(), level.size());
        } finally {
            if (copy != null) {
                Files.deleteIfExists(copy);
            }
        }
    }

    private static double half(List<double[]> rows) {
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (double[] r : rows) {
            lo = Math.min(lo, r[1]);
            hi = Math.max(hi, r[1]);
        }
        return hi - lo < 40 ? Double.MAX_VALUE : (lo + hi) / 2; // no flashes: nothing crosses
    }

    private static double loudestMinus20(List<double[]> rows) {
        double hi = -Double.MAX_VALUE;
        for (double[] r : rows) {
            hi = Math.max(hi, r[1]);
        }
        return hi < -40 ? Double.MAX_VALUE : hi - 20; // no beeps: nothing crosses
    }

    /** Times where the value rises above the threshold, at least half a second apart. */
    private static List<Double> onsets(List<double[]> rows, double threshold) {
        List<Double> out = new ArrayList<>();
        boolean above = false;
        double last = -Double.MAX_VALUE;
        for (double[] r : rows) {
            boolean now = r[1] >= threshold;
            if (now && !above && r[0] - last >= MIN_GAP_SECONDS) {
                out.add(r[0]);
                last = r[0];
            }
            above = now;
        }
        return out;
    }

    /** "time,value" lines; "-inf" levels read as -200 dB, lines without both fields are skipped. */
    private static List<double[]> csv(String text) {
        List<double[]> rows = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split(",");
            if (f.length < 2 || f[0].isEmpty() || f[1].isEmpty() || f[0].equals("N/A")) {
                continue;
            }
            double v = f[1].contains("inf") ? -200 : Double.parseDouble(f[1]);
            rows.add(new double[] {Double.parseDouble(f[0]), v});
        }
        rows.sort((a, b) -> Double.compare(a[0], b[0]));
        return rows;
    }

    /** Runs a tool in {@code dir}; returns its standard output, or throws with its error output. */
    static String run(Path dir, List<String> command) throws IOException, InterruptedException {
        Path err = Files.createTempFile("avsync-", ".err");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectError(err.toFile()).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command.get(0) + " did not finish within 120 s: " + command);
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): "
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
