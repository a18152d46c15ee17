package dev.packetstream.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.packetstream.core.AttachOption;
import dev.packetstream.core.Packet;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.RawPacket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Data channels carry binary and text packets both ways, in order. */
class DataChannelTest {

    @Test
    void a1000MessagesRoundTripInOrderWithNoneLost() throws Exception {
        try (Loopback link = new Loopback("dc");
             PacketStream echo = new PacketStream("echo");
             PacketStream back = new PacketStream("back")) {
            WebRtcDataChannel aSide = link.a.createDataChannel("chat");
            link.connect();
            WebRtcDataChannel bSide = link.b.remoteDataChannel("chat").get(10, TimeUnit.SECONDS);
            aSide.opened().get(10, TimeUnit.SECONDS);

            // B echoes every message: the channel is the stream's source and its sink
            echo.attachSource(bSide, AttachOption.SYNC_STATE);
            echo.addSink("reply", bSide);
            echo.start();

            List<String> got = new CopyOnWriteArrayList<>();
            CountDownLatch all = new CountDownLatch(1000);
            back.attachSource(aSide, AttachOption.SYNC_STATE);
            back.addSink("collect", (Packet p) -> {
                if (p instanceof TextPacket t) {
                    got.add("t:" + t.text());
                } else if (p instanceof RawPacket r) {
                    got.add("b:" + new String(r.toByteArray(), StandardCharsets.UTF_8));
                }
                all.countDown();
            });
            back.start();

            for (int i = 0; i < 1000; i++) {
                if (i % 2 == 0) {
                    aSide.sendText("message " + i);
                } else {
                    aSide.sendBinary(("message " + i).getBytes(StandardCharsets.UTF_8));
                }
            }
            assertThat(all.await(20, TimeUnit.SECONDS)).as("all 1000 echoes arrived, got %d", got.size()).isTrue();
            for (int i = 0; i < 1000; i++) {
                assertThat(got.get(i)).isEqualTo((i % 2 == 0 ? "t:" : "b:") + "message " + i);
            }
            assertThat(bSide.messagesReceived()).isEqualTo(1000);
            assertThat(aSide.messagesDropped()).isZero();
        }
    }

    @Test
    void sendingOnAChannelThatIsNotOpenThrowsNamingTheChannel() throws Exception {
        try (Loopback link = new Loopback("dc-closed")) {
            WebRtcDataChannel ch = link.a.createDataChannel("early");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ch.sendText("too early"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("'early'").hasMessageContaining("not open");
        }
    }
}
