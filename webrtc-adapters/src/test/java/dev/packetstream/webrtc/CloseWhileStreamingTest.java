package dev.packetstream.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.packetstream.core.AttachOption;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.media.RawVideoFrame;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Closing the runtimes while another thread is pushing video and audio, and frames are arriving,
 * never crashes: pushes after the close are dropped and counted, the stream keeps running.
 */
class CloseWhileStreamingTest {

    @RepeatedTest(value = 5, name = "closing runtimes mid-stream is safe, round {currentRepetition}")
    void closingTheRuntimesWhileFramesArePushedAndReceivedDropsLaterPushesAndNeverCrashes() throws Exception {
        Loopback link = new Loopback("midstream");
        CountDownLatch arriving = new CountDownLatch(5);
        AtomicLong afterClose = new AtomicLong();
        try (PacketStream out = new PacketStream("out"); PacketStream in = new PacketStream("in")) {
            WebRtcTrackSender sender = link.a.newSender("cam").video(true).audio(true).build();
            out.attach(sender, 0);
            in.attachSource(link.b.newReceiver("remote", MediaKind.VIDEO, MediaKind.AUDIO), AttachOption.SYNC_STATE);
            in.addSink("arrive", p -> {
                if (p instanceof RawVideoFrame) {
                    arriving.countDown();
                }
            });
            out.start();
            in.start();
            link.connect();
            TestMedia.VideoPainter painter = new TestMedia.VideoPainter(640, 480);
            TestMedia.Tone tone = new TestMedia.Tone(440);
            boolean[] closed = new boolean[1];
            Thread closer = new Thread(() -> {
                try {
                    if (arriving.await(5, TimeUnit.SECONDS)) {
                        link.close();
                        closed[0] = true;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "closer");
            closer.start();
            Pacer.run("midstream-push", 90, 33_333, n -> {
                out.write(painter.frame(n, -1, n * 33_333));
                out.write(tone.next10ms());
                if (closed[0]) {
                    afterClose.incrementAndGet();
                }
            });
            closer.join(10_000);
            assertThat(closed[0]).as("frames arrived and the runtimes closed").isTrue();
            assertThat(afterClose.get()).as("pushes after the close").isPositive();
            assertThat(sender.framesDropped()).isGreaterThanOrEqualTo(afterClose.get());
            assertThat(out.isActive()).isTrue();
        } finally {
            link.close();
        }
    }
}
