package dev.packetstream.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.packetstream.core.AttachOption;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.media.RawVideoFrame;
import dev.packetstream.core.media.VideoCodec;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Video pushed into one session arrives decoded at the other, for every codec and two sizes. */
class VideoLoopbackTest {
    static final int FPS = 30;
    static final int SECONDS = 5;

    static Stream<Arguments> matrix() {
        return Stream.of(VideoCodec.VP8, VideoCodec.VP9, VideoCodec.H264, VideoCodec.AV1)
                .flatMap(c -> Stream.of(Arguments.of(c, 640, 480), Arguments.of(c, 1280, 720)));
    }

    @ParameterizedTest(name = "{0} {1}x{2} at 30 fps for 5 s arrives at the pushed size, at least 80% of the frames")
    @MethodSource("matrix")
    void videoPushedAt30FpsArrivesAtThePushedSizeWithAtLeast80PercentOfTheFrames(VideoCodec codec, int width, int height)
            throws Exception {
        PeerSessionConfig config = PeerSessionConfig.builder().loopbackOnly(true).videoCodecs(codec).build();
        try (Loopback link = new Loopback("video-" + codec, config);
             PacketStream out = new PacketStream("push");
             PacketStream in = new PacketStream("receive")) {
            WebRtcTrackSender sender = link.a.newSender("cam").video(true).minBitrate(1_000_000).maxBitrate(4_000_000).build();
            WebRtcTrackReceiver receiver = link.b.newReceiver("remote", MediaKind.VIDEO);
            AtomicLong received = new AtomicLong();
            long[] firstPush = {System.nanoTime()};
            Set<String> sizes = ConcurrentHashMap.newKeySet();
            in.attachSource(receiver, AttachOption.SYNC_STATE);
            in.addSink("count", p -> {
                if (p instanceof RawVideoFrame f) {
                    if (received.incrementAndGet() == 1) {
                        System.out.printf("first frame %d ms after the first push%n", (System.nanoTime() - firstPush[0]) / 1_000_000);
                    }
                    sizes.add(f.width() + "x" + f.height());
                }
            });
            out.attach(sender, 10);
            in.start();
            out.start();
            link.connect();

            firstPush[0] = System.nanoTime();
            TestMedia.VideoPainter painter = new TestMedia.VideoPainter(width, height);
            long frames = (long) FPS * SECONDS;
            Pacer.run("push-" + codec, frames, 1_000_000 / FPS,
                    n -> out.write(painter.frame(n, -1, n * 1_000_000 / FPS)));
            // frames still in flight: wait for them (at most 3 s), then assert on what arrived
            Polling.awaitUpTo(Duration.ofSeconds(3), Duration.ofMillis(50), () -> received.get() >= frames);
            SessionStats stats = link.b.stats().get(5, TimeUnit.SECONDS);
            SessionStats sent = link.a.stats().get(5, TimeUnit.SECONDS);
            System.out.printf("%s %dx%d outbound %s%n", codec, width, height, sent.outboundVideo().orElseThrow());

            assertThat(sender.framesSent()).isEqualTo(frames);
            assertThat(sizes).containsExactly(width + "x" + height);
            assertThat(received.get()).as("frames received of %d pushed (%s %dx%d)", frames, codec, width, height)
                    .isGreaterThanOrEqualTo(frames * 8 / 10);
            assertThat(stats.inboundVideo()).get().extracting(RtpStreamStats::codec).asString()
                    .isEqualToIgnoringCase(codec.mimeType());
            System.out.printf("%s %dx%d: %d of %d frames received; inbound %s%n", codec, width, height,
                    received.get(), frames, stats.inboundVideo().orElseThrow());
        }
    }
}
