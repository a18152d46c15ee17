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
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End-to-end figures for the README, printed as a Markdown table. Not a test: run it with
 * <pre>
 * ./mvnw -B -q -pl av-adapters test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.packetstream.av.AvBenchmark
 * </pre>
 * Each row runs the pipeline once to warm up, then once measured. Frames/s are whole-pipeline wall
 * clock figures on this machine (shared: treat them as orders of magnitude).
 */
public final class AvBenchmark {
    private static final int FRAMES = Integer.getInteger("av.benchFrames", 240);

    private AvBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        org.bytedeco.ffmpeg.global.avutil.av_log_set_level(org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR);
        List<String> encoders = new ArrayList<>();
        for (String name : List.of("libopenh264", "libx264", "libvpx", "libvpx-vp9")) {
            if (Ffmpeg.encoder(name) != null) {
                encoders.add(name);
            }
        }
        System.out.println("| pipeline | size | encoder | frames | frames/s | copies of frame bytes per captured frame |");
        System.out.println("|---|---|---|---|---|---|");
        for (int[] size : new int[][] {{640, 480}, {1280, 720}}) {
            for (String encoder : encoders) {
                captureConvertEncode(size[0], size[1], encoder, FRAMES / 4);
                captureConvertEncode(size[0], size[1], encoder, FRAMES);
            }
        }
        for (VideoCodec codec : List.of(VideoCodec.H264, VideoCodec.VP8, VideoCodec.VP9)) {
            List<EncodedVideoPacket> packets = encodeAll(codec, 1280, 720, FRAMES);
            decode(codec, packets);
            decode(codec, packets);
        }
        Path dir = Files.createTempDirectory("av-bench");
        for (Container c : List.of(Container.WEBM, Container.MP4)) {
            record(dir.resolve("warm." + c.extension()), c, FRAMES / 4, false);
            record(dir.resolve("bench." + c.extension()), c, FRAMES, true);
        }
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    private static MediaCapture capture(int w, int h, int frames, boolean audio) {
        return MediaCapture.testPattern().size(w, h).audio(audio).pacing(Pacing.AS_FAST_AS_POSSIBLE)
                .duration(Duration.ofMillis(frames * 1000L / 30)).build();
    }

    private static VideoCodec codecOf(String encoder) {
        return encoder.contains("264") ? VideoCodec.H264 : encoder.equals("libvpx") ? VideoCodec.VP8 : VideoCodec.VP9;
    }

    private static void captureConvertEncode(int w, int h, String encoderName, int frames) throws InterruptedException {
        MediaCapture capture = capture(w, h, frames, false);
        AtomicLong packets = new AtomicLong();
        long t0;
        long t1;
        try (PacketStream stream = new PacketStream("bench");
             VideoConverter converter = new VideoConverter(w, h);
             VideoPacketEncoder encoder = new VideoPacketEncoder(VideoEncoderSettings.builder(codecOf(encoderName))
                     .encoder(encoderName).bitrate(w >= 1280 ? 2_500_000 : 1_200_000).build())) {
            stream.attachSource(capture, AttachOption.SYNC_STATE, AttachOption.CLOSE_WITH_STREAM);
            stream.attach(converter, 10);
            stream.attach(encoder, 20);
            stream.addSink("count", p -> packets.incrementAndGet());
            t0 = System.nanoTime();
            stream.start();
            await(stream);
            t1 = System.nanoTime();
            if (frames == FRAMES) {
                long copies = capture.frameCopies() + converter.converted() + converter.stagingCopies() + encoder.frameCopies();
                System.out.printf("| capture → convert → encode | %dx%d | %s, %d thread(s) | %d | %.0f | %.2f (capture %d, converter %d, encoder %d) |%n",
                        w, h, encoderName, encoder.settings().threads(), capture.videoFrames(), capture.videoFrames() / ((t1 - t0) / 1e9),
                        (double) copies / capture.videoFrames(), capture.frameCopies(), converter.converted() + converter.stagingCopies(),
                        encoder.frameCopies());
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

    private static boolean warm = true;

    private static void decode(VideoCodec codec, List<EncodedVideoPacket> packets) {
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
        if (!warm) {
            System.out.printf("| decode | 1280x720 | %s (FFmpeg %s) | %d | %.0f | 0 in (packet bytes are copied, frames are borrowed) |%n",
                    codec, Ffmpeg.decoderName(codec), frames.get(), frames.get() / ((t1 - t0) / 1e9));
        }
        warm = !warm;
    }

    private static void record(Path file, Container container, int frames, boolean print) throws InterruptedException {
        MediaCapture capture = capture(1280, 720, frames, true);
        long t0;
        long t1;
        try (PacketStream stream = new PacketStream("bench-record");
             MultiplexPacketEncoder recorder = MultiplexPacketEncoder.builder(file).container(container).build()) {
            stream.attachSource(capture, AttachOption.SYNC_STATE, AttachOption.CLOSE_WITH_STREAM);
            stream.attach(recorder, 10);
            t0 = System.nanoTime();
            stream.start();
            await(stream);
            t1 = System.nanoTime();
            if (print) {
                System.out.printf("| capture → record (video + audio) | 1280x720 | %s %s+%s | %d | %.0f | 1 (recorder's encoder) |%n",
                        container, container.defaultVideoCodec(), container.defaultAudioCodec(), recorder.videoPacketsWritten(),
                        capture.videoFrames() / ((t1 - t0) / 1e9));
            }
        }
    }

    private static void await(PacketStream stream) throws InterruptedException {
        if (!stream.awaitState(StreamState.STOPPED, Duration.ofMinutes(5)) || stream.error() != null) {
            throw new IllegalStateException("benchmark stream did not finish: " + stream.state() + " " + stream.error());
        }
    }
}
