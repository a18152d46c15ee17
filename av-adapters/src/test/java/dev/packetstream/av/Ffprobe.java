package dev.packetstream.av;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's {@code ffprobe} (an FFmpeg independent of the one under test) on a file and parses
 * its JSON: codecs, durations, start times, counted video frames.
 */
final class Ffprobe {
    static final String BINARY = "/usr/bin/ffprobe";

    /** One stream as ffprobe sees it. */
    record Stream(String type, String codec, double startTime, double duration, long frames, int width, int height) {
    }

    /** The file: format duration and streams. */
    record Result(String formatName, double duration, List<Stream> streams) {
        Stream video() {
            return streams.stream().filter(s -> s.type.equals("video")).findFirst().orElseThrow(
                    () -> new AssertionError("ffprobe found no video stream in " + streams));
        }

        Stream audio() {
            return streams.stream().filter(s -> s.type.equals("audio")).findFirst().orElseThrow(
                    () -> new AssertionError("ffprobe found no audio stream in " + streams));
        }
    }

    private Ffprobe() {
    }

    /** Probes with {@code -count_frames}: decodes the file, so frame counts are real. */
    static Result probe(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(BINARY, "-v", "error", "-count_frames", "-print_format", "json", "-show_format",
                "-show_streams", file.toString()).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ffprobe did not finish within 60 s on " + file);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("ffprobe failed (" + p.exitValue() + ") on " + file + ": " + err);
        }
        JsonNode root = new ObjectMapper().readTree(out);
        List<Stream> streams = new ArrayList<>();
        for (JsonNode s : root.path("streams")) {
            streams.add(new Stream(s.path("codec_type").asText(), s.path("codec_name").asText(),
                    s.path("start_time").asDouble(Double.NaN), s.path("duration").asDouble(Double.NaN),
                    s.path("nb_read_frames").asLong(-1), s.path("width").asInt(0), s.path("height").asInt(0)));
        }
        JsonNode f = root.path("format");
        return new Result(f.path("format_name").asText(), f.path("duration").asDouble(Double.NaN), streams);
    }

    /** The timestamp (s) of the last packet ffprobe can read in the file's first video or audio stream. */
    static double lastPacketTime(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(BINARY, "-v", "error", "-show_entries", "packet=pts_time", "-of", "csv=p=0",
                file.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ffprobe did not finish within 60 s on " + file);
        }
        double last = Double.NaN;
        for (String line : out.split("\n")) {
            String t = line.trim().replace(",", "");
            if (!t.isEmpty() && !t.equals("N/A")) {
                double v = Double.parseDouble(t);
                last = Double.isNaN(last) ? v : Math.max(last, v);
            }
        }
        return last;
    }
}
