package dev.packetstream.av;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.packetstream.core.AttachOption;
import dev.packetstream.core.Packet;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.StreamState;
import dev.packetstream.core.media.RawAudioFrame;
import dev.packetstream.core.media.RawVideoFrame;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaCaptureTest {
    @TempDir
    Path dir;

    private record Seen(List<long[]> video, List<long[]> audio, List<Boolean> finals, long millis) {
    }

    private static Seen run(MediaCapture capture) throws InterruptedException {
        List<long[]> video = new CopyOnWriteArrayList<>();
        List<long[]> audio = new CopyOnWriteArrayList<>();
        List<Boolean> finals = new CopyOnWriteArrayList<>();
        long t0 = System.nanoTime();
        try (PacketStream stream = new PacketStream("capture-test")) {
            stream.attachSource(capture, AttachOption.SYNC_STATE, AttachOption.CLOSE_WITH_STREAM);
            stream.addSink("see", (Packet p) -> {
                if (p instanceof RawVideoFrame f) {
                    video.add(new long[] {f.timestampUs(), f.width(), f.height()});
                } else if (p instanceof RawAudioFrame a) {
                    audio.add(new long[] {a.timestampUs(), a.samples(), a.sampleRate(), a.channels()});
                } else if (p.isFinal()) {
                    finals.add(true);
                }
            });
            stream.start();
            assertThat(stream.awaitState(StreamState.STOPPED, Duration.ofSeconds(30))).isTrue();
            assertThat(stream.error()).isNull();
        }
        return new Seen(video, audio, finals, (System.nanoTime() - t0) / 1_000_000);
    }

    @Test
    void theTestPatternEmitsI420FramesAndPcmWithMicrosecondTimestampsThenFinal() throws Exception {
        MediaCapture capture = MediaCapture.testPattern().size(320, 240).fps(25).pacing(Pacing.AS_FAST_AS_POSSIBLE)
                .duration(Duration.ofSeconds(2)).build();
        Seen s = run(capture);
        assertThat(s.video()).hasSize(50);
        for (int i = 0; i < s.video().size(); i++) {
            assertThat(s.video().get(i)[0]).isEqualTo(i * 40_000L);
            assertThat(s.video().get(i)[1]).isEqualTo(320);
            assertThat(s.video().get(i)[2]).isEqualTo(240);
        }
        long audioSamples = s.audio().stream().mapToLong(a -> a[1]).sum();
        assertThat(audioSamples / 48_000.0).isCloseTo(2.0, within(0.05));
        assertThat(s.audio()).allSatisfy(a -> {
            assertThat(a[2]).isEqualTo(48_000);
            assertThat(a[3]).isEqualTo(2);
        });
        assertThat(s.finals()).hasSize(1);
        assertThat(capture.frameCopies()).as("the test pattern is I420 already: no copy").isZero();
        assertThat(capture.finished()).isCompleted();
    }

    @Test
    void realTimePacingTakesAboutTheMediaDuration() throws Exception {
        Seen s = run(MediaCapture.testPattern().size(160, 120).audio(false).duration(Duration.ofSeconds(1)).build());
        assertThat(s.video()).hasSize(30);
        assertThat(s.millis()).isBetween(900L, 3_000L);
    }

    @Test
    void aFileIsReadScaledToTheRequestedSizeAndLoopedWithTimestampsContinuing() throws Exception {
        Path file = TestFiles.record(dir.resolve("one-second.webm"), Duration.ofSeconds(1));
        MediaCapture capture = MediaCapture.file(file).size(160, 120).loop(true).pacing(Pacing.AS_FAST_AS_POSSIBLE)
                .duration(Duration.ofMillis(2_500)).build();
        Seen s = run(capture);
        assertThat(s.video().size()).isBetween(73, 77);
        for (int i = 1; i < s.video().size(); i++) {
            assertThat(s.video().get(i)[0]).isGreaterThan(s.video().get(i - 1)[0]);
        }
        assertThat(s.video()).allSatisfy(v -> assertThat(v[1]).isEqualTo(160));
        assertThat(capture.frameCopies()).as("scaling is the one copy").isEqualTo(s.video().size());
        assertThat(s.audio()).isNotEmpty();
    }

    @Test
    void stoppingTheStreamStopsTheCaptureThreadWhichClosesItsInput() throws Exception {
        MediaCapture capture = MediaCapture.testPattern().size(160, 120).build(); // real time, endless
        try (PacketStream stream = new PacketStream("stop-test")) {
            stream.attachSource(capture, AttachOption.SYNC_STATE);
            stream.start();
            stream.stop();
            capture.awaitFinished(Duration.ofSeconds(5));
            assertThat(capture.finished()).isCompleted();
        } finally {
            capture.close();
        }
    }
}
