package dev.packetstream.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code ffmpeg} and {@code ffprobe} command-line tools, outside the code under test: they
 * make the clips the browser plays and check the files the samples write.
 */
final class MediaTools {
    static final String INSTALL_HINT = "apt-get install ffmpeg";

    private MediaTools() {
    }

    /** Skips (or, under CI=true, fails) when ffmpeg/ffprobe are missing. */
    static void assumeAvailable() {
        if (Files.isExecutable(Path.of("/usr/bin/ffprobe")) && Files.isExecutable(Path.of("/usr/bin/ffmpeg"))) {
            return;
        }
        String message = "ffmpeg/ffprobe are missing: run `" + INSTALL_HINT + "` (the CI script .ci/run installs them)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("CI=true and " + message);
        }
        Assumptions.abort(message);
    }

    /**
     * Writes a y4m clip of known content (FFmpeg's moving testsrc2 pattern) for Chromium's
     * {@code --use-file-for-fake-video-capture}.
     */
    static Path y4mClip(Path dir, int width, int height, int fps, int seconds) throws IOException, InterruptedException {
        Path out = dir.resolve("clip-" + width + "x" + height + ".y4m");
        run(List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc2=size=" + width + "x" + height + ":rate=" + fps, "-t", String.valueOf(seconds),
                "-pix_fmt", "yuv420p", out.toString()));
        return out;
    }

    /** What ffprobe reads in a media file. */
    record Probe(boolean hasVideo, boolean hasAudio, double durationSeconds, long videoFrames, int width, int height,
                 String videoCodec) {
    }

    static Probe probe(Path file) throws IOException, InterruptedException {
        String json = run(List.of("ffprobe", "-v", "error", "-count_packets", "-show_entries",
                "format=duration:stream=codec_type,codec_name,width,height,nb_read_packets", "-of", "json", file.toString()));
        JsonNode root = new ObjectMapper().readTree(json);
        boolean video = false;
        boolean audio = false;
        long frames = 0;
        int w = 0;
        int h = 0;
        String codec = "";
        for (JsonNode s : root.path("streams")) {
            if ("video".equals(s.path("codec_type").asText())) {
                video = true;
                frames = s.path("nb_read_packets").asLong();
                w = s.path("width").asInt();
                h = s.path("height").asInt();
                codec = s.path("codec_name").asText();
            } else if ("audio".equals(s.path("codec_type").asText())) {
                audio = true;
            }
        }
        return new Probe(video, audio, root.path("format").path("duration").asDouble(), frames, w, h, codec);
    }

    /** Seconds from the first to the last video packet's presentation time in {@code file} (ffprobe). */
    static double videoSpanSeconds(Path file) throws IOException, InterruptedException {
        String csv = run(List.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time",
                "-of", "csv=p=0", file.toString()));
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (String line : csv.lines().toList()) {
            String t = line.trim();
            if (t.isEmpty() || t.equals("N/A")) {
                continue;
            }
            double v = Double.parseDouble(t.split(",")[0]);
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return max < min ? 0 : max - min;
    }

    /** Runs a tool; returns its standard output, or throws with its error output. */
    static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command.get(0) + " did not finish within 60 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): "
                    + new String(err, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
