package dev.packetstream.webrtc;

import dev.packetstream.core.peer.InMemorySignaller;
import dev.packetstream.core.peer.IceCandidate;
import dev.packetstream.core.testing.RecordingSignaller;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.packetstream.core.AttachOption;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.media.RawVideoFrame;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Bad input is a clear exception or a documented no-op, and the runtimes keep serving: every test
 * here uses the same two runtimes, and the last one streams video through them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class BadInputTest {
    private RtcRuntime rtcA;
    private RtcRuntime rtcB;

    @BeforeAll
    void startRuntimes() {
        rtcA = new RtcRuntime("bad-A");
        rtcB = new RtcRuntime("bad-B");
    }

    @AfterAll
    void closeRuntimes() {
        try {
            // the runtimes still serve after all the bad input
            rtcA.close();
        } finally {
            rtcB.close();
        }
    }

    private PeerSession[] pair(String name) {
        InMemorySignaller.Pair link = InMemorySignaller.pair();
        return new PeerSession[] {
            rtcA.newSession(name + "-a", PeerSessionConfig.loopback(), link.a()),
            rtcB.newSession(name + "-b", PeerSessionConfig.loopback(), link.b())
        };
    }

    private static Throwable failure(CompletableFuture<?> f) throws InterruptedException {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the future neither completed nor failed within 10 s");
        }
        throw new AssertionError("expected the future to fail, it completed");
    }

    @Test
    void aMalformedOfferFailsWithAClearExceptionNamingTheSession() throws Exception {
        PeerSession[] s = pair("garbage");
        assertThat(failure(s[1].acceptOffer("hello, I am not SDP")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("garbage-b").hasMessageContaining("not an SDP session description");
        String broken = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=rtpmap:oops\r\n";
        assertThat(failure(s[1].acceptOffer(broken)))
                .isInstanceOf(RtcException.class).hasMessageContaining("garbage-b").hasMessageContaining("refused");
        s[0].close();
        s[1].close();
    }

    @Test
    void aCandidateForAnUnknownMLineIsRefusedNamingTheMids() throws Exception {
        PeerSession[] s = pair("unknown-mline");
        s[0].createDataChannel("x");
        s[0].negotiate().get(10, TimeUnit.SECONDS);
        IceCandidate stray = new IceCandidate("7", 7, "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host");
        assertThat(failure(s[1].addRemoteCandidate(stray)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown m-line").hasMessageContaining("unknown-mline-b");
        assertThat(failure(s[1].addRemoteCandidate(new IceCandidate("0", 0, "not a candidate"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an ICE candidate line");
        s[0].close();
        s[1].close();
    }

    @Test
    void anAnswerWithNoOfferOutstandingFailsWithIllegalState() throws Exception {
        PeerSession[] s = pair("no-offer");
        s[0].createDataChannel("x");
        String answer = s[1].acceptOffer(offerOf(s[0])).get(10, TimeUnit.SECONDS);
        PeerSession lonely = rtcA.newSession("lonely", PeerSessionConfig.loopback(), InMemorySignaller.pair().a());
        assertThat(failure(lonely.acceptAnswer(answer)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("lonely").hasMessageContaining("no offer outstanding");
        lonely.close();
        s[0].close();
        s[1].close();
    }

    /** An offer made by {@code s} without sending it anywhere useful. */
    private String offerOf(PeerSession s) throws Exception {
        RecordingSignaller peer = new RecordingSignaller();
        PeerSession probe = rtcA.newSession("probe", PeerSessionConfig.loopback(), peer);
        probe.createDataChannel("x");
        probe.negotiate(); // never answered
        await().atMost(Duration.ofSeconds(10)).until(() -> !peer.offers.isEmpty());
        String sdp = peer.offers.get(0);
        probe.close();
        return sdp;
    }

    @Test
    void closingASessionTwiceIsANoOpAndClosingItsRuntimeTwiceToo() {
        PeerSession[] s = pair("twice");
        s[0].close();
        s[0].close();
        assertThat(s[0].isClosed()).isTrue();
        assertThat(s[0].closedFuture()).isCompleted();
        RtcRuntime extra = new RtcRuntime("extra");
        extra.close();
        extra.close();
        assertThatThrownBy(() -> extra.newSession("late", PeerSessionConfig.loopback(), InMemorySignaller.pair().a()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'extra' is closed");
        s[1].close();
    }

    @Test
    void pushingToAClosedSenderThrowsAndPushingAfterTheSessionClosedIsCountedAsDropped() throws Exception {
        PeerSession[] s = pair("closed-sender");
        WebRtcTrackSender sender = s[0].newSender("cam").video(true).build();
        TestMedia.VideoPainter painter = new TestMedia.VideoPainter(64, 48);
        sender.close();
        assertThatThrownBy(() -> sender.process(painter.frame(0, -1, 0)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'cam'").hasMessageContaining("is closed");

        WebRtcTrackSender other = s[0].newSender("cam2").video(true).build();
        s[0].close();
        java.util.List<String> discarded = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (PacketStream out = new PacketStream("after-close")) {
            out.attach(other, 0);
            out.addDiscardListener((stage, p, reason) -> discarded.add(stage + ":" + reason));
            out.start();
            out.write(painter.frame(1, -1, 0));
            assertThat(out.state()).isEqualTo(dev.packetstream.core.StreamState.ACTIVE);
        }
        assertThat(discarded).containsExactly("cam2:CLOSED");
        assertThat(other.framesDropped()).isEqualTo(1);
        assertThat(other.framesSent()).isZero();
        s[1].close();
    }

    @Test
    @org.junit.jupiter.api.Order(99)
    void afterAllTheBadInputTheSameRuntimesStillStreamVideo() throws Exception {
        InMemorySignaller.Pair link = InMemorySignaller.pair();
        PeerSession a = rtcA.newSession("good-a", PeerSessionConfig.loopback(), link.a());
        PeerSession b = rtcB.newSession("good-b", PeerSessionConfig.loopback(), link.b());
        try (PacketStream out = new PacketStream("good-out"); PacketStream in = new PacketStream("good-in")) {
            out.attach(a.newSender("cam").video(true).build(), 0);
            AtomicLong got = new AtomicLong();
            in.attachSource(b.newReceiver("remote", MediaKind.VIDEO), AttachOption.SYNC_STATE);
            in.addSink("count", p -> {
                if (p instanceof RawVideoFrame) {
                    got.incrementAndGet();
                }
            });
            out.start();
            in.start();
            a.negotiate().get(10, TimeUnit.SECONDS);
            a.connected().get(10, TimeUnit.SECONDS);
            TestMedia.VideoPainter painter = new TestMedia.VideoPainter(320, 240);
            Pacer.run("good", 30, 33_333, n -> out.write(painter.frame(n, -1, n * 33_333)));
            Polling.awaitUpTo(Duration.ofSeconds(3), Duration.ofMillis(20), () -> got.get() >= 10);
            assertThat(got.get()).isGreaterThanOrEqualTo(10);
        } finally {
            a.close();
            b.close();
        }
    }
}
