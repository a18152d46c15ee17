package dev.packetstream.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.packetstream.core.PacketStream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The sender's bitrate and frame-rate caps reach libwebrtc's encoder. */
class SenderLimitsTest {

    @Test
    void maxBitrateAndMaxFramerateCapWhatTheEncoderProduces() throws Exception {
        try (Loopback link = new Loopback("limits"); PacketStream out = new PacketStream("out")) {
            WebRtcTrackSender sender = link.a.newSender("cam").video(true).maxBitrate(300_000).maxFramerate(10).build();
            out.attach(sender, 0);
            link.b.newReceiver("remote", MediaKind.VIDEO).start();
            out.start();
            link.connect();
            TestMedia.VideoPainter painter = new TestMedia.VideoPainter(640, 480);
            SessionStats[] mid = new SessionStats[1];
            Pacer.run("limits-push", 120, 33_333, n -> {
                out.write(painter.frame(n, -1, n * 33_333));
                if (n == 60) {
                    mid[0] = link.a.stats().join();
                }
            });
            RtpStreamStats o = link.a.stats().get(5, TimeUnit.SECONDS).outboundVideo().orElseThrow();
            long encodedInLast2s = o.framesEncoded() - mid[0].outboundVideo().orElseThrow().framesEncoded();
            System.out.printf("capped: %d frames encoded in the last 2 s of 60 pushed; %d bps; %s%n",
                    encodedInLast2s, o.bitrateBps(), o);
            assertThat(sender.framesSent() + sender.framesRateLimited()).isEqualTo(120);
            assertThat(sender.framesSent()).isBetween(38L, 42L);
            assertThat(encodedInLast2s).as("frames encoded in 2 s at maxFramerate 10").isBetween(16L, 22L);
            assertThat(o.bitrateBps()).as("bitrate at maxBitrate 300 kbps").isLessThan(420_000);
        }
    }
}
