package dev.packetstream.av;

import static org.assertj.core.api.Assertions.assertThat;

import dev.packetstream.core.AttachOption;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.StreamState;
import dev.packetstream.core.media.AudioCodec;
import dev.packetstream.core.media.RawVideoFrame;
import dev.packetstream.core.media.VideoCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/**
 * Two minutes of 720p capture → encode → decode, pipelines built and closed over and over (H.264,
 * VP8, VP9 in turn, with Opus audio): the process's resident memory must stay flat. The length is
 * {@code -Dav.memoryTestSeconds} (default 120).
 */
class NativeMemoryTest {
    private static final long LIMIT_BYTES = 50L * 1024 * 1024;
    private static final VideoCodec[] CODECS = {VideoCodec.H264, VideoCodec.VP8, VideoCodec.VP9};

    @Test
    void twoMinutesOf720pCaptureEncodeDecodeInALoopKeepResidentMemoryFlat() throws Exception {
        Duration length = Duration.ofSeconds(Long.getLong("av.memoryTestSeconds", 120));
        long end = System.nanoTime() + length.toNanos();
        AtomicLong frames = new AtomicLong();
        long[] baseline = null;
        int iteration = 0;
        while (System.nanoTime() < end) {
            runOnce(CODECS[iteration % CODECS.length], frames);
            iteration++;
            if (iteration == CODECS.length) { // every codec has run once: natives loaded, pools warm
                baseline = rss();
            }
        }
        long[] last = rss();
        long growth = last[1] - baseline[1];
        System.out.printf("native memory: %d iterations, %d decoded 720p frames in %d s; VmRSS after malloc_trim %d MB after warm-up,"
                        + " %d MB at the end: growth %+.1f MB (limit 50 MB); before malloc_trim %d MB -> %d MB (%+.1f MB)%n",
                iteration, frames.get(), length.toSeconds(), baseline[1] >> 20, last[1] >> 20, growth / 1048576.0,
                baseline[0] >> 20, last[0] >> 20, (last[0] - baseline[0]) / 1048576.0);
        assertThat(iteration).isGreaterThan(CODECS.length);
        assertThat(growth).isLessThan(LIMIT_BYTES);
    }

    private static void runOnce(VideoCodec codec, AtomicLong frames) throws InterruptedException {
        try (PacketStream stream = new PacketStream("memory-" + codec);
             VideoPacketEncoder encoder = new VideoPacketEncoder(VideoEncoderSettings.builder(codec).bitrate(2_500_000).build());
             VideoDecoder decoder = new VideoDecoder();
             AudioPacketEncoder audioEncoder = new AudioPacketEncoder(AudioEncoderSettings.builder(AudioCodec.OPUS).build());
             AudioDecoder audioDecoder = new AudioDecoder()) {
            stream.attachSource(MediaCapture.testPattern().size(1280, 720).pacing(Pacing.AS_FAST_AS_POSSIBLE)
                    .duration(Duration.ofSeconds(3)).build(), AttachOption.SYNC_STATE, AttachOption.CLOSE_WITH_STREAM);
            stream.attach(encoder, 10);
            stream.attach(audioEncoder, 10);
            stream.attach(decoder, 20);
            stream.attach(audioDecoder, 20);
            stream.addSink("count", p -> {
                if (p instanceof RawVideoFrame) {
                    frames.incrementAndGet();
                }
            });
            stream.start();
            assertThat(stream.awaitState(StreamState.STOPPED, Duration.ofSeconds(60))).isTrue();
            assertThat(stream.error()).isNull();
        }
    }

    /**
     * The process's resident set size (VmRSS) after a GC, before and after {@code malloc_trim}
     * (JavaCPP's {@link Pointer#trimMemory()}): glibc keeps memory that was freed, and how much
     * depends on which codec ran last (±40 MB from one pipeline to the next, with no trend). The
     * trimmed figure is what is still allocated, which a leak would grow.
     */
    private static long[] rss() throws IOException {
        System.gc();
        long before = vmRss();
        Pointer.trimMemory();
        return new long[] {before, vmRss()};
    }

    private static long vmRss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
