package dev.packetstream.av;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.packetstream.core.AttachOption;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.StreamState;
import dev.packetstream.core.media.AudioCodec;
import dev.packetstream.core.media.VideoCodec;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecorderTest {
    private static final Duration LENGTH = Duration.ofSeconds(3);
    private static final int FPS = 30;

    @TempDir
    Path dir;

    private Ffprobe.Result record(Path file, MultiplexPacketEncoder.Builder builder) throws Exception {
        try (PacketStream stream = new PacketStream("record-" + file.getFileName());
             MultiplexPacketEncoder recorder = builder.build()) {
            MediaCapture capture = MediaCapture.testPattern().size(320, 240).fps(FPS).duration(LENGTH)
                    .pacing(Pacing.AS_FAST_AS_POSSIBLE).build();
            stream.attachSource(capture, AttachOption.SYNC_STATE, AttachOption.CLOSE_WITH_STREAM);
            stream.attach(recorder, 10);
            stream.start();
            assertThat(stream.awaitState(StreamState.STOPPED, Duration.ofSeconds(30))).as("the stream stops at FINAL").isTrue();
            assertThat(stream.error()).isNull();
        }
        return Ffprobe.probe(file);
    }

    /** Encodes in the stream, so the recorder only muxes (its own encoders stay unused). */
    private Ffprobe.Result recordEncoded(Path file, MultiplexPacketEncoder.Builder builder, VideoEncoderSettings video,
                                         AudioEncoderSettings audio) throws Exception {
        try (PacketStream stream = new PacketStream("record-encoded-" + file.getFileName());
             VideoPacketEncoder videoEncoder = new VideoPacketEncoder(video);
             AudioPacketEncoder audioEncoder = new AudioPacketEncoder(audio);
             MultiplexPacketEncoder recorder = builder.build()) {
            stream.attachSource(MediaCapture.testPattern().size(320, 240).fps(FPS).duration(LENGTH)
                    .pacing(Pacing.AS_FAST_AS_POSSIBLE).build(), AttachOption.SYNC_STATE, AttachOption.CLOSE_WITH_STREAM);
            stream.attach(videoEncoder, 10);
            stream.attach(audioEncoder, 10);
            stream.attach(recorder, 20);
            stream.start();
            assertThat(stream.awaitState(StreamState.STOPPED, Duration.ofSeconds(30))).isTrue();
            assertThat(stream.error()).isNull();
            assertThat(recorder.videoPacketsWritten()).isEqualTo(videoEncoder.packetsOut());
        }
        return Ffprobe.probe(file);
    }

    private static void assertFile(Ffprobe.Result r, String videoCodec, String audioCodec) {
        assertThat(r.video().codec()).isEqualTo(videoCodec);
        assertThat(r.audio().codec()).isEqualTo(audioCodec);
        assertThat(r.duration()).isCloseTo(LENGTH.toMillis() / 1000.0, within(0.2));
        assertThat(r.video().frames()).isEqualTo(LENGTH.toSeconds() * FPS);
        assertThat(Math.abs(r.video().startTime() - r.audio().startTime())).as("A/V start difference (s)").isLessThan(0.040);
    }

    @Test
    void webmByDefaultHoldsVp8AndOpusOfTheRecordedLength() throws Exception {
        Path file = dir.resolve("default.webm");
        Ffprobe.Result r = record(file, MultiplexPacketEncoder.builder(file));
        assertThat(r.formatName()).contains("webm");
        assertFile(r, "vp8", "opus");
    }

    @Test
    void webmCarriesVp9() throws Exception {
        Path file = dir.resolve("vp9.webm");
        Ffprobe.Result r = record(file, MultiplexPacketEncoder.builder(file)
                .video(VideoEncoderSettings.builder(VideoCodec.VP9).build()));
        assertFile(r, "vp9", "opus");
    }

    @Test
    void mkvHoldsH264AndOpus() throws Exception {
        Path file = dir.resolve("rec.mkv");
        Ffprobe.Result r = record(file, MultiplexPacketEncoder.builder(file).container(Container.MKV)
                .video(VideoEncoderSettings.builder(VideoCodec.H264).build()));
        assertThat(r.formatName()).contains("matroska");
        assertFile(r, "h264", "opus");
    }

    @Test
    void fragmentedMp4HoldsH264AndAac() throws Exception {
        Path file = dir.resolve("rec.mp4");
        Ffprobe.Result r = record(file, MultiplexPacketEncoder.builder(file)
                .audio(AudioEncoderSettings.builder(AudioCodec.AAC).build()));
        assertThat(r.formatName()).contains("mp4");
        assertFile(r, "h264", "aac");
    }

    @Test
    void encodedVp8AndOpusPacketsAreMuxedIntoWebmWithoutReencoding() throws Exception {
        Path file = dir.resolve("encoded.webm");
        Ffprobe.Result r = recordEncoded(file, MultiplexPacketEncoder.builder(file),
                VideoEncoderSettings.builder(VideoCodec.VP8).build(), AudioEncoderSettings.builder(AudioCodec.OPUS).build());
        assertFile(r, "vp8", "opus");
    }

    @Test
    void encodedH264WithExtradataAndAacPacketsAreMuxedIntoMp4WithoutReencoding() throws Exception {
        Path file = dir.resolve("encoded.mp4");
        Ffprobe.Result r = recordEncoded(file, MultiplexPacketEncoder.builder(file),
                VideoEncoderSettings.builder(VideoCodec.H264).parameterSets(ParameterSets.EXTRADATA).build(),
                AudioEncoderSettings.builder(AudioCodec.AAC).build());
        assertFile(r, "h264", "aac");
    }

    @Test
    void h264WithInBandParameterSetsIntoMp4FailsAndSaysToUseExtradata() throws Exception {
        Path file = dir.resolve("inband.mp4");
        try (PacketStream stream = new PacketStream("inband");
             VideoPacketEncoder videoEncoder = new VideoPacketEncoder(VideoEncoderSettings.builder(VideoCodec.H264).build());
             MultiplexPacketEncoder recorder = MultiplexPacketEncoder.builder(file).withoutAudio().build()) {
            stream.attachSource(MediaCapture.testPattern().size(320, 240).audio(false).duration(LENGTH)
                    .pacing(Pacing.AS_FAST_AS_POSSIBLE).build(), AttachOption.SYNC_STATE, AttachOption.CLOSE_WITH_STREAM);
            stream.attach(videoEncoder, 10);
            stream.attach(recorder, 20);
            stream.start();
            stream.awaitState(StreamState.CLOSED, Duration.ofSeconds(30));
            assertThat(stream.error()).isNotNull();
            assertThat(stream.error().getCause()).isInstanceOf(RecordingException.class)
                    .hasMessageContaining("ParameterSets.EXTRADATA");
        }
    }

    @Test
    void aContainerThatCannotCarryTheCodecIsRefusedAtBuildTime() {
        assertThatThrownBy(() -> MultiplexPacketEncoder.builder(dir.resolve("x.webm"))
                .video(VideoEncoderSettings.builder(VideoCodec.H264).build()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("WEBM cannot carry H264");
    }

    @Test
    void rawFramesThatChangeSizeMidwayAreScaledToTheFirstFramesSize() throws Exception {
        Path file = dir.resolve("resized.webm");
        try (PacketStream stream = new PacketStream("resize");
             MultiplexPacketEncoder recorder = MultiplexPacketEncoder.builder(file).withoutAudio().build()) {
            stream.attach(recorder, 10);
            stream.start();
            for (int i = 0; i < 60; i++) {
                int w = i < 30 ? 320 : 640;
                int h = i < 30 ? 240 : 360;
                stream.write(dev.packetstream.core.media.RawVideoFrame.allocate(w, h, i * 33_333L));
            }
            stream.stop();
            assertThat(stream.error()).isNull();
            assertThat(recorder.scaledFrames()).isEqualTo(30);
        }
        Ffprobe.Result r = Ffprobe.probe(file);
        assertThat(r.video().width()).isEqualTo(320);
        assertThat(r.video().height()).isEqualTo(240);
        assertThat(r.video().frames()).isEqualTo(60);
    }
}
