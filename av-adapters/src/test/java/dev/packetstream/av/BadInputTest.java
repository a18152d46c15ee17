package dev.packetstream.av;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.packetstream.core.AttachOption;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.StageException;
import dev.packetstream.core.StreamState;
import dev.packetstream.core.media.EncodedVideoPacket;
import dev.packetstream.core.media.RawVideoFrame;
import dev.packetstream.core.media.VideoCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BadInputTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void quietFfmpeg() {
        // the decoders log every refused garbage packet on stderr; the test counts them instead
        avutil.av_log_set_level(avutil.AV_LOG_FATAL);
    }

    @AfterAll
    static void restoreFfmpegLog() {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }

    @Test
    void aMissingCameraFailsWithNotFoundNamingTheDevice() {
        MediaCapture camera = MediaCapture.camera("/dev/video97").build();
        assertThatThrownBy(camera::start).isInstanceOfSatisfying(MediaInputException.class, e -> {
            assertThat(e.reason()).isEqualTo(MediaInputException.Reason.NOT_FOUND);
            assertThat(e.input()).isEqualTo("/dev/video97");
            assertThat(e.getMessage()).contains("/dev/video97").contains("not found").contains("listDevices");
        });
        camera.close();
    }

    @Test
    void aCameraUnknownByNameFailsWithNotFound() {
        assertThatThrownBy(() -> MediaCapture.camera("No Such Camera").build().start())
                .isInstanceOfSatisfying(MediaInputException.class,
                        e -> assertThat(e.getMessage()).contains("No Such Camera"));
    }

    @Test
    void aMissingCameraAttachedWithSyncStateFailsTheStreamAtStartNamingTheSource() {
        try (PacketStream stream = new PacketStream("camera")) {
            stream.attachSource(MediaCapture.camera("/dev/video97").name("webcam").build(), AttachOption.SYNC_STATE);
            assertThatThrownBy(stream::start).isInstanceOfSatisfying(StageException.class, e -> {
                assertThat(e.stage()).isEqualTo("webcam");
                assertThat(e.getCause()).isInstanceOf(MediaInputException.class);
            });
            assertThat(stream.state()).isIn(StreamState.ERROR, StreamState.CLOSED);
        }
    }

    @Test
    void listingDevicesOnAMachineWithoutCamerasGivesAnEmptyListNotAnError() {
        List<CaptureDevice> devices = MediaCapture.listDevices();
        assertThat(devices).allSatisfy(d -> assertThat(d.path()).startsWith("/dev/video"));
    }

    @Test
    void aMissingFileFailsWithNotFoundNamingTheFile() {
        String missing = dir.resolve("nope.mp4").toString();
        assertThatThrownBy(() -> MediaCapture.file(missing).build().start())
                .isInstanceOfSatisfying(MediaInputException.class, e -> {
                    assertThat(e.reason()).isEqualTo(MediaInputException.Reason.NOT_FOUND);
                    assertThat(e.getMessage()).contains(missing).contains("does not exist");
                });
    }

    @Test
    void aFileOfGarbageFailsAsUnreadable() throws Exception {
        Path garbage = dir.resolve("garbage.mp4");
        byte[] bytes = new byte[64 * 1024];
        new Random(1).nextBytes(bytes);
        Files.write(garbage, bytes);
        assertThatThrownBy(() -> MediaCapture.file(garbage).build().start())
                .isInstanceOfSatisfying(MediaInputException.class, e -> {
                    assertThat(e.reason()).isEqualTo(MediaInputException.Reason.UNREADABLE);
                    assertThat(e.getMessage()).contains(garbage.toString()).contains("cannot be read as media");
                });
    }

    @Test
    void aFileTruncatedInsideItsHeaderFailsAsUnreadable() throws Exception {
        Path full = TestFiles.record(dir.resolve("full.mp4"), Duration.ofSeconds(2));
        Path cut = dir.resolve("cut.mp4");
        Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(full), 200));
        assertThatThrownBy(() -> MediaCapture.file(cut).build().start())
                .isInstanceOfSatisfying(MediaInputException.class, e -> {
                    assertThat(e.reason()).isEqualTo(MediaInputException.Reason.UNREADABLE);
                    assertThat(e.input()).isEqualTo(cut.toString());
                });
    }

    @Test
    void aFileTruncatedMidwayPlaysUpToTheCutThenEndsWithFinal() throws Exception {
        Path full = TestFiles.record(dir.resolve("full.webm"), Duration.ofSeconds(2));
        byte[] bytes = Files.readAllBytes(full);
        Path cut = dir.resolve("cut.webm");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        AtomicInteger frames = new AtomicInteger();
        MediaCapture capture = MediaCapture.file(cut).pacing(Pacing.AS_FAST_AS_POSSIBLE).build();
        try (PacketStream stream = new PacketStream("truncated")) {
            stream.attachSource(capture, AttachOption.SYNC_STATE, AttachOption.CLOSE_WITH_STREAM);
            stream.addSink("count", p -> {
                if (p instanceof RawVideoFrame) {
                    frames.incrementAndGet();
                }
            });
            stream.start();
            assertThat(stream.awaitState(StreamState.STOPPED, Duration.ofSeconds(20))).isTrue();
        }
        assertThat(frames.get()).isBetween(5, 59);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = VideoCodec.class, names = {"H264", "VP8", "VP9"})
    void garbageBytesToTheDecoderAreCountedAndSkippedAndGoodPacketsStillDecode(VideoCodec codec) {
        List<EncodedVideoPacket> good = TestFiles.encode(codec, 10);
        Random random = new Random(7);
        AtomicInteger decoded = new AtomicInteger();
        try (PacketStream stream = new PacketStream("garbage-" + codec); VideoDecoder decoder = new VideoDecoder()) {
            stream.attach(decoder, 10);
            stream.addSink("count", p -> decoded.incrementAndGet());
            stream.start();
            for (int i = 0; i < 20; i++) {
                byte[] junk = new byte[50 + random.nextInt(5000)];
                random.nextBytes(junk);
                stream.write(EncodedVideoPacket.own(codec, junk, i % 2 == 0, i * 33_333L, i * 33_333L, 320, 240, null));
            }
            assertThat(stream.state()).isEqualTo(StreamState.ACTIVE);
            long decodedFromJunk = decoded.get();
            for (EncodedVideoPacket p : good) {
                stream.write(p);
            }
            stream.stop();
            assertThat(stream.error()).isNull();
            assertThat(decoder.corruptPackets() + decodedFromJunk).as("junk is refused or at most decoded as pictures").isPositive();
            assertThat(decoded.get() - decodedFromJunk).as("frames decoded from the good packets").isGreaterThanOrEqualTo(9);
        }
    }

    @Test
    void anOutputPathInAMissingDirectoryFailsAtStartNamingThePath() {
        Path bad = dir.resolve("no-such-dir").resolve("out.webm");
        try (PacketStream stream = new PacketStream("unwritable"); MultiplexPacketEncoder recorder = MultiplexPacketEncoder.builder(bad).build()) {
            stream.attach(recorder, 10);
            assertThatThrownBy(stream::start).isInstanceOfSatisfying(StageException.class, e -> {
                assertThat(e.getCause()).isInstanceOf(RecordingException.class);
                assertThat(e.getCause().getMessage()).contains(bad.toString()).contains("does not exist");
            });
        }
    }

    @Test
    void anOutputPathThatIsADirectoryFailsAtStartNamingThePath() {
        try (PacketStream stream = new PacketStream("unwritable");
             MultiplexPacketEncoder recorder = MultiplexPacketEncoder.builder(dir).container(Container.WEBM).build()) {
            stream.attach(recorder, 10);
            assertThatThrownBy(stream::start).isInstanceOfSatisfying(StageException.class, e -> {
                assertThat(e.getCause()).isInstanceOf(RecordingException.class);
                assertThat(e.getCause().getMessage()).contains(dir.toString()).contains("cannot open");
            });
        }
    }

    @Test
    void aFullDiskFailsTheRecorderWithDiskFullAndTheJvmCarriesOn() throws Exception {
        Path full = Path.of("/dev/full");
        List<Throwable> errors = new ArrayList<>();
        try (PacketStream stream = new PacketStream("disk-full");
             MultiplexPacketEncoder recorder = MultiplexPacketEncoder.builder(full).container(Container.WEBM).build()) {
            stream.attachSource(MediaCapture.testPattern().size(320, 240).pacing(Pacing.AS_FAST_AS_POSSIBLE)
                    .duration(Duration.ofSeconds(2)).build(), AttachOption.SYNC_STATE, AttachOption.CLOSE_WITH_STREAM);
            stream.attach(recorder, 10);
            stream.addErrorListener(errors::add);
            stream.start();
            assertThat(stream.awaitState(StreamState.CLOSED, Duration.ofSeconds(20))).as("the failed stream closes").isTrue();
        }
        assertThat(errors).isNotEmpty();
        assertThat(errors.get(0).getCause()).isInstanceOf(RecordingException.class);
        assertThat(errors.get(0).getCause().getMessage()).contains("disk full").contains("/dev/full");
        // the JVM and FFmpeg carry on: another recording works
        Path ok = TestFiles.record(dir.resolve("after.webm"), Duration.ofSeconds(1));
        assertThat(Ffprobe.probe(ok).video().frames()).isEqualTo(30);
    }
}
