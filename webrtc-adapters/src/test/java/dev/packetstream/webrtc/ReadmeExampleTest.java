package dev.packetstream.webrtc;

import dev.packetstream.core.peer.InMemorySignaller;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.packetstream.core.AsyncPacketQueue;
import dev.packetstream.core.AttachOption;
import dev.packetstream.core.PacketProcessor;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.Packet;
import dev.packetstream.core.SingleThreadEventLoop;
import dev.packetstream.core.media.RawAudioFrame;
import dev.packetstream.core.media.RawVideoFrame;
import dev.packetstream.core.media.VideoCodec;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The README's "API in one page", runnable: the same calls, in loopback. */
class ReadmeExampleTest {

    @Test
    void theReadmeExampleRunsAndTheSenderPassesEveryPacketOn() throws Exception {
        InMemorySignaller.Pair link = InMemorySignaller.pair();
        AtomicLong passedOn = new AtomicLong();
        AtomicLong recorded = new AtomicLong();
        try (RtcRuntime rtc = new RtcRuntime("publisher");
             RtcRuntime viewerRtc = new RtcRuntime("viewer");
             SingleThreadEventLoop loop = new SingleThreadEventLoop("app-loop");
             PacketStream out = new PacketStream("webcam");
             PacketStream in = new PacketStream("from-peer")) {
            PeerSessionConfig config = PeerSessionConfig.builder()
                    .loopbackOnly(true)
                    .udpPortRange(40000, 40100)
                    .videoCodecs(VideoCodec.H264, VideoCodec.VP8)
                    .build();
            PeerSession session = rtc.newSession("viewer-1", config, link.a());
            PeerSession viewer = viewerRtc.newSession("publisher", config, link.b());
            session.onStateChange(state -> System.out.println("viewer-1 is " + state));

            WebRtcTrackSender sender = session.newSender("cam").video(true).audio(true)
                    .maxBitrate(2_500_000).maxFramerate(30).build();
            out.attach(sender, 30);
            out.addSink("probe", p -> passedOn.incrementAndGet());
            out.start();

            WebRtcTrackReceiver receiver = viewer.newReceiver("remote", MediaKind.VIDEO, MediaKind.AUDIO).deliverOn(loop);
            in.attachSource(receiver, AttachOption.SYNC_STATE);
            in.attach(new AsyncPacketQueue("to-recorder", 64), 0);
            in.attach(new PacketProcessor("recorder") {
                @Override
                public void process(Packet packet) {
                    if (packet instanceof RawVideoFrame) {
                        recorded.incrementAndGet();
                    }
                }
            }, 10);
            in.start();

            WebRtcDataChannel events = session.createDataChannel("events");
            session.negotiate().get(10, SECONDS);
            session.connected().get(10, SECONDS);
            events.opened().get(10, SECONDS);
            events.sendText("hello");

            TestMedia.VideoPainter painter = new TestMedia.VideoPainter(320, 240);
            TestMedia.Tone tone = new TestMedia.Tone(440);
            Pacer.run("readme", 60, 33_333, n -> {
                out.write(painter.frame(n, -1, n * 33_333));
                RawAudioFrame a = tone.next10ms();
                out.write(a);
            });
            SessionStats stats = session.stats().get(5, SECONDS);
            assertThat(stats.outboundVideo().orElseThrow().codec()).isEqualToIgnoringCase("video/H264");
            assertThat(passedOn.get()).isEqualTo(120);
            assertThat(sender.framesSent()).isEqualTo(60);
            assertThat(sender.audioFramesSent()).isEqualTo(60);
            Polling.awaitUpTo(java.time.Duration.ofSeconds(3), java.time.Duration.ofMillis(20), () -> recorded.get() >= 30);
            assertThat(recorded.get()).isGreaterThanOrEqualTo(30);
        }
    }
}
