package dev.packetstream.av;

import dev.packetstream.core.AttachOption;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.StreamState;
import dev.packetstream.core.media.EncodedVideoPacket;
import dev.packetstream.core.media.RawVideoFrame;
import dev.packetstream.core.media.VideoCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End-to-end figures for the README, printed as a Markdown table. Not a test: run it with
 * <pre>
 * ./mvnw -B -q -pl av-adapters test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.packetstream.av.AvBenchmark
 * </pre>
 * Each pipeline runs once to warm up, then {@code -Dav.benchRuns} (default 3) measured times; the
 * table shows the best and the median frames/s (whole-pipeline wall clock, {@code -Dav.benchFrames}
 * frames, default 300) because the machine is shared and noisy. Copies of frame bytes are counted
 * by the stages themselves.
 */
public final class AvBenchmark {
    private static final int FRAMES = Integer.getInteger("av.benchFrames", 300);
    private static final int RUNS = Integer.getInteger("av.benchRuns", 3);

    /** One table row: its label, the copies column, and the frames/s of each measured run. */
    private static final class Row {
        final String label;
        String copies = "";
        long frames;
        final List<Double> fps = new ArrayList<>();

        Row(String label) {
            this.label = label;
        }
    }

    private final Map<String, Row> rows = new LinkedHashMap<>();

    private AvBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        org.bytedeco.ffmpeg.global.avutil.av_log_set_level(org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR);
        new AvBenchmark().run();
    }

    private Row row(String label) {
        return rows.computeIfAbsent(label, Row::new);
    }

    private void run() throws Exception {
        List<String> encoders = new ArrayList<>();
        for (String name : List.of("libopenh264", "libx264", "libvpx", "libvpx-vp9")) {
            if (Ffmpeg.encoder(name) != null) {
                encoders.add(name);
            }
        }
        Map<VideoCodec, List<EncodedVideoPacket>> encoded = new LinkedHashMap<>();
        for (VideoCodec codec : List.of(VideoCodec.H264, VideoCodec.VP8, VideoCodec.VP9)) {
            encoded.put(codec, encodeAll(codec, 1280, 720, FRAMES));
        }
        Path dir = Files.createTempDirectory("av-bench");
        try {
            for (int run = 0; run <= RUNS; run++) {
                boolean measure = run > 0; // run 0 warms up
                for (int[] size : new int[][] {{640, 480}, {1280, 720}}) {
                    for (String encoder : encoders) {
                        captureConvertEncode(size[0], size[1], encoder, measure);
                    }
                }
                for (Map.Entry<VideoCodec, List<EncodedVideoPacket>> e : encoded.entrySet()) {
                    decode(e.getKey(), e.getValue(), measure);
                }
                for (Container c : List.of(Container.WEBM, Container.MP4)) {
                    record(dir.resolve("bench." + c.extension()), c, measure);
                }
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
        System.out.println("| pipeline | size | encoder / decoder | frames | best frames/s | median frames/s | copies of frame bytes per captured frame |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Row r : rows.values()) {
            double[] f = r.fps.stream().mapToDouble(d -> d).sorted().toArray();
            System.out.printf("| %s | %d | %.0f | %.0f | %s |%n", r.label, r.frames, f[f.length - 1], f[f.length / 2], r.copies);
        }
        System.out.printf("%n%d measured runs after one warm-up run; %d processors; Java %s%n", RUNS,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    }

    private static MediaCapture capture(int w, int h, int frames, boolean audio) {
        return MediaCapture.testPattern().size(w, h).audio(audio).pacing(Pacing.AS_FAST_AS_POSSIBLE)
                .duration(Duration.ofMillis(frames * 1000L / 30)).build();
    }

    private static VideoCodec codecOf(String encoder) {
        return encoder.contains("264") ? VideoCodec.H264 : encoder.equals("libvpx") ? VideoCodec.VP8 : VideoCodec.VP9;
    }

    private void captureConvertEncode(int w, int h, String encoderName, boolean measure) throws InterruptedException {
        MediaCapture capture = capture(w, h, FRAMES, false);
        try (PacketStream stream = new PacketStream("bench");
             VideoConverter converter = new VideoConverter(w, h);
             VideoPacketEncoder encoder = new VideoPacketEncoder(VideoEncoderSettings.builder(codecOf(encoderName))
                     .encoder(encoderName).bitrate(w >= 1280 ? 2_500_000 : 1_200_000).build())) {
            stream.attachSource(capture, AttachOption.SYNC_STATE, AttachOption.CLOSE_WITH_STREAM);
            stream.attach(converter, 10);
            stream.attach(encoder, 20);
            long t0 = System.nanoTime();
            stream.start();
            await(stream);
            long t1 = System.nanoTime();
            if (measure) {
                Row r = row(String.format("capture → convert → encode | %dx%d | %s, %d thread(s)", w, h, encoderName,
                        encoder.settings().threads()));
                long copies = capture.frameCopies() + converter.converted() + converter.stagingCopies() + encoder.frameCopies();
                r.frames = capture.videoFrames();
                r.fps.add(capture.videoFrames() / ((t1 - t0) / 1e9));
                r.copies = String.format("%.2f (capture %d, converter %d, encoder %d)", (double) copies / capture.videoFrames(),
                        capture.frameCopies(), converter.converted() + converter.stagingCopies(), encoder.frameCopies());
            }
        }
    }

    private static List<EncodedVideoPacket> encodeAll(VideoCodec codec, int w, int h, int frames) throws InterruptedException {
        List<EncodedVideoPacket> out = new ArrayList<>();
        try (PacketStream stream = new PacketStream("bench-encode");
             VideoPacketEncoder encoder = new VideoPacketEncoder(VideoEncoderSettings.builder(codec).bitrate(2_500_000).build())) {
            stream.attachSource(capture(w, h, frames, false), AttachOption.SYNC_STATE, AttachOption.CLOSE_WITH_STREAM);
            stream.attach(encoder, 10);
            stream.addSink("keep", p -> {
                if (p instanceof EncodedVideoPacket e) {
                    out.add(e.copy());
                }
            });
            stream.start();
            await(stream);
        }
        return out;
    }

    private void decode(VideoCodec codec, List<EncodedVideoPacket> packets, boolean measure) {
        AtomicLong frames = new AtomicLong();
        long t0 = System.nanoTime();
        try (PacketStream stream = new PacketStream("bench-decode"); VideoDecoder decoder = new VideoDecoder()) {
            stream.attach(decoder, 10);
            stream.addSink("count", p -> {
                if (p instanceof RawVideoFrame) {
                    frames.incrementAndGet();
                }
            });
            stream.start();
            for (EncodedVideoPacket p : packets) {
                stream.write(p);
            }
            stream.stop();
        }
        long t1 = System.nanoTime();
        if (measure) {
            Row r = row("decode | 1280x720 | " + codec + " (FFmpeg " + Ffmpeg.decoderName(codec) + ")");
            r.frames = frames.get();
            r.fps.add(frames.get() / ((t1 - t0) / 1e9));
            r.copies = "decoded frames are borrowed (0); packet bytes copied into FFmpeg's padded packet";
        }
    }

    private void record(Path file, Container container, boolean measure) throws InterruptedException {
        MediaCapture capture = capture(1280, 720, FRAMES, true);
        try (PacketStream stream = new PacketStream("bench-record");
             MultiplexPacketEncoder recorder = MultiplexPacketEncoder.builder(file).container(container).build()) {
            stream.attachSource(capture, AttachOption.SYNC_STATE, AttachOption.CLOSE_WITH_STREAM);
            stream.attach(recorder, 10);
            long t0 = System.nanoTime();
            stream.start();
            await(stream);
            long t1 = System.nanoTime();
            if (measure) {
                Row r = row("capture → record (video + audio) | 1280x720 | " + container + " "
                        + container.defaultVideoCodec() + "+" + container.defaultAudioCodec());
                r.frames = recorder.videoPacketsWritten();
                r.fps.add(capture.videoFrames() / ((t1 - t0) / 1e9));
                r.copies = "1 (the recorder's encoder)";
            }
        }
    }

    private static void await(PacketStream stream) throws InterruptedException {
        if (!stream.awaitState(StreamState.STOPPED, Duration.ofMinutes(5)) || stream.error() != null) {
            throw new IllegalStateException("benchmark stream did not finish: " + stream.state() + " " + stream.error());
        }
    }
}
