package dev.packetstream.av;

import static org.assertj.core.api.Assertions.assertThat;

import dev.packetstream.core.AttachOption;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.StreamState;
import dev.packetstream.core.media.RawVideoFrame;
import dev.packetstream.core.media.VideoCodec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class VideoRoundTripTest {
    private static final int FRAMES = 30;

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = VideoCodec.class, names = {"H264", "VP8", "VP9", "AV1"})
    void testPatternThroughEncoderAndDecoderKeepsLumaPsnrAbove30dB(VideoCodec codec) throws Exception {
        List<Double> psnr = new CopyOnWriteArrayList<>();
        List<String> sizes = new CopyOnWriteArrayList<>();
        Probes.KeepOriginals originals = new Probes.KeepOriginals();
        try (PacketStream stream = new PacketStream("round-trip-" + codec);
             VideoPacketEncoder encoder = new VideoPacketEncoder(VideoEncoderSettings.builder(codec).bitrate(3_000_000).build());
             VideoDecoder decoder = new VideoDecoder()) {
            stream.attachSource(MediaCapture.testPattern().size(640, 480).audio(false).pacing(Pacing.AS_FAST_AS_POSSIBLE)
                    .duration(Duration.ofMillis(FRAMES * 1000L / 30)).build(), AttachOption.SYNC_STATE, AttachOption.CLOSE_WITH_STREAM);
            stream.attach(originals, 5);
            stream.attach(encoder, 10);
            stream.attach(decoder, 20);
            stream.addSink("psnr", p -> {
                if (p instanceof RawVideoFrame f) {
                    sizes.add(f.width() + "x" + f.height());
                    RawVideoFrame original = originals.frames.get(f.timestampUs());
                    psnr.add(original == null ? -1 : Probes.lumaPsnr(original, f));
                }
            });
            stream.start();
            assertThat(stream.awaitState(StreamState.STOPPED, Duration.ofSeconds(30))).isTrue();
            assertThat(stream.error()).isNull();
        }
        System.out.printf("%s round trip: %d frames, luma PSNR min %.1f dB, mean %.1f dB%n", codec, psnr.size(),
                psnr.stream().mapToDouble(d -> d).min().orElse(0), psnr.stream().mapToDouble(d -> d).average().orElse(0));
        assertThat(psnr).hasSize(FRAMES);
        assertThat(sizes).containsOnly("640x480");
        assertThat(psnr).allSatisfy(db -> assertThat(db).isGreaterThan(30.0));
    }
}
