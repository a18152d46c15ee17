package dev.packetstream.av;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.packetstream.core.PacketStream;
import dev.packetstream.core.media.EncodedVideoPacket;
import dev.packetstream.core.media.RawVideoFrame;
import dev.packetstream.core.media.VideoCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class VideoPacketEncoderTest {
    private static final long FRAME_US = 33_333;

    /** Writes {@code n} synthetic 320x240 frames (a moving bar) through the encoder; returns owned packets. */
    private static List<EncodedVideoPacket> encode(VideoPacketEncoder encoder, int n, IntConsumer beforeFrame) {
        List<EncodedVideoPacket> out = new ArrayList<>();
        try (PacketStream stream = new PacketStream("encoder-test")) {
            stream.attach(encoder, 10);
            stream.addSink("keep", p -> {
                if (p instanceof EncodedVideoPacket e) {
                    assertThat(e.isBorrowed()).as("encoder output wraps FFmpeg's packet").isTrue();
                    out.add(e.copy());
                }
            });
            stream.start();
            for (int i = 0; i < n; i++) {
                beforeFrame.accept(i);
                RawVideoFrame f = RawVideoFrame.allocate(320, 240, i * FRAME_US);
                for (int y = 0; y < 240; y++) {
                    for (int x = 0; x < 320; x++) {
                        f.dataY().put(y * 320 + x, (byte) (((x + i * 4) % 64 < 32) ? 220 : 30));
                    }
                }
                stream.write(f);
            }
            stream.stop();
            assertThat(stream.error()).isNull();
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = VideoCodec.class, names = {"H264", "VP8", "VP9"})
    void everyFrameComesOutOnStopWithItsTimestampAsPtsAndDts(VideoCodec codec) {
        try (VideoPacketEncoder encoder = new VideoPacketEncoder(VideoEncoderSettings.builder(codec).build())) {
            List<EncodedVideoPacket> packets = encode(encoder, 20, i -> { });
            assertThat(packets).hasSize(20);
            for (int i = 0; i < 20; i++) {
                assertThat(packets.get(i).ptsUs()).isEqualTo(i * FRAME_US);
                assertThat(packets.get(i).dtsUs()).isEqualTo(i * FRAME_US);
                assertThat(packets.get(i).codec()).isEqualTo(codec);
                assertThat(packets.get(i).width()).isEqualTo(320);
            }
            assertThat(encoder.frameCopies()).isEqualTo(20);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = VideoCodec.class, names = {"H264", "VP8", "VP9"})
    void keyframesComeAtTheConfiguredIntervalAndOnRequest(VideoCodec codec) {
        try (VideoPacketEncoder encoder = new VideoPacketEncoder(VideoEncoderSettings.builder(codec).keyframeInterval(10).build())) {
            List<EncodedVideoPacket> packets = encode(encoder, 30, i -> {
                if (i == 15) {
                    encoder.requestKeyframe();
                }
            });
            List<Integer> keys = new ArrayList<>();
            for (int i = 0; i < packets.size(); i++) {
                if (packets.get(i).isKeyframe()) {
                    keys.add(i);
                }
            }
            // a requested keyframe restarts the interval: 0, 10, 15 (requested), then 25
            assertThat(keys).startsWith(0, 10, 15);
            assertThat(keys).doesNotContain(1, 2, 3, 9, 11, 14, 16);
            for (int i = 1; i < keys.size(); i++) {
                assertThat(keys.get(i) - keys.get(i - 1)).as("frames between keyframes").isLessThanOrEqualTo(10);
            }
        }
    }

    @Test
    void h264ForStreamingCarriesParameterSetsInBandAndNoExtradata() {
        try (VideoPacketEncoder encoder = new VideoPacketEncoder(VideoEncoderSettings.builder(VideoCodec.H264)
                .parameterSets(ParameterSets.IN_BAND).build())) {
            List<EncodedVideoPacket> packets = encode(encoder, 5, i -> { });
            assertThat(packets.get(0).extradata()).isNull();
            assertThat(nalTypes(packets.get(0).toByteArray())).contains(7, 8, 5); // SPS, PPS, IDR
        }
    }

    @Test
    void h264ForMuxingCarriesParameterSetsAsExtradata() {
        try (VideoPacketEncoder encoder = new VideoPacketEncoder(VideoEncoderSettings.builder(VideoCodec.H264)
                .parameterSets(ParameterSets.EXTRADATA).build())) {
            List<EncodedVideoPacket> packets = encode(encoder, 5, i -> { });
            assertThat(packets).allSatisfy(p -> assertThat(p.extradata()).isNotNull());
            byte[] x = new byte[packets.get(0).extradata().remaining()];
            packets.get(0).extradata().duplicate().get(x);
            assertThat(nalTypes(x)).contains(7, 8);
        }
    }

    @Test
    void h264IsEncodedByTheEncoderOfThisBuildChosenByName() {
        String expected = org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name("libx264") != null ? "libx264" : "libopenh264";
        assertThat(VideoEncoderSettings.builder(VideoCodec.H264).build().encoder()).isEqualTo(expected);
        assertThat(VideoEncoderSettings.builder(VideoCodec.VP8).build().encoder()).isEqualTo("libvpx");
        assertThat(VideoEncoderSettings.builder(VideoCodec.VP9).build().encoder()).isEqualTo("libvpx-vp9");
    }

    @Test
    void theEncodersOfThisBuildCanBeListed() {
        assertThat(VideoEncoderSettings.availableEncoders()).contains("libopenh264", "libvpx", "libvpx-vp9", "libopus", "aac")
                .doesNotHaveDuplicates();
    }

    @Test
    void anEncoderMissingFromThisBuildIsRefusedByName() {
        assertThatThrownBy(() -> new VideoPacketEncoder(VideoEncoderSettings.builder(VideoCodec.H264).encoder("h264_nonexistent").build()))
                .isInstanceOf(CodecException.class).hasMessageContaining("h264_nonexistent").hasMessageContaining("not in this FFmpeg build");
    }

    @Test
    void aFrameOfAnotherSizeFailsTheStageAndSaysToConvertFirst() {
        try (PacketStream stream = new PacketStream("resize");
             VideoPacketEncoder encoder = new VideoPacketEncoder("vp8", VideoEncoderSettings.builder(VideoCodec.VP8).build())) {
            stream.attach(encoder, 10);
            stream.start();
            stream.write(RawVideoFrame.allocate(320, 240, 0));
            stream.write(RawVideoFrame.allocate(640, 480, FRAME_US));
            assertThat(stream.error()).isNotNull();
            assertThat(stream.error().stage()).isEqualTo("vp8");
            assertThat(stream.error().getCause()).hasMessageContaining("VideoConverter");
        }
    }

    /** NAL unit types found after Annex-B start codes. */
    private static List<Integer> nalTypes(byte[] b) {
        List<Integer> types = new ArrayList<>();
        for (int i = 0; i + 3 < b.length; i++) {
            if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1) {
                types.add(b[i + 3] & 0x1f);
            }
        }
        return types;
    }
}
