package dev.packetstream.webrtc.encoded;

import dev.packetstream.core.peer.InMemorySignaller;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.packetstream.core.media.AudioCodec;
import dev.packetstream.core.media.EncodedVideoPacket;
import dev.packetstream.core.media.VideoCodec;
import dev.packetstream.core.peer.IceCandidate;
import dev.packetstream.core.testing.RecordingSignaller;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** Bad input gets a clear error naming the session; what was already accepted keeps working. */
class BadInputTest {

    @Test
    void anOfferThatIsNotSdpIsRefusedNamingTheSession() {
        try (EncodedRuntime gst = new EncodedRuntime("bad-sdp")) {
            EncodedPeerSession s = gst.newSession("victim", EncodedSessionConfig.defaults(), new RecordingSignaller());
            assertThatThrownBy(() -> s.acceptOffer("hello, I am not SDP").get(10, SECONDS))
                    .isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("session 'victim'").hasMessageContaining("not an SDP session description");
        }
    }

    @Test
    void anSdpWebrtcbinCannotUseIsRefusedNamingTheSessionAndTheSessionStaysUsable() throws Exception {
        try (EncodedRuntime gst = new EncodedRuntime("bad-sdp2")) {
            EncodedPeerSession s = gst.newSession("victim", EncodedSessionConfig.defaults(), new RecordingSignaller());
            String broken = "v=0\r\no=- 1 0 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n"
                    + "a=rtpmap:96 VP8/90000\r\na=sendonly\r\n"; // no ICE credentials, no fingerprint, no mid
            assertThatThrownBy(() -> s.acceptOffer(broken).get(10, SECONDS))
                    .isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOf(EncodedRtcException.class)
                    .hasMessageContaining("session 'victim'");
            assertThat(s.isClosed()).isFalse();
        }
    }

    @Test
    void aPeerThatAcceptsNoneOfTheSendersCodecsFailsTheNegotiationNamingTheCodecs() throws Exception {
        try (EncodedRuntime gst = new EncodedRuntime("no-common");
             TestSource source = new TestSource("pattern", VideoCodec.VP8, 160, 120)) {
            InMemorySignaller.Pair link = InMemorySignaller.pair();
            EncodedPeerSession tx = gst.newSession("vp8-sender", JavaLoopbackTest.LOOPBACK, link.a());
            EncodedPeerSession rx = gst.newSession("vp9-only", EncodedSessionConfig.builder().loopbackOnly(true)
                    .videoCodecs(VideoCodec.VP9).build(), link.b());
            List<Throwable> txErrors = new CopyOnWriteArrayList<>();
            tx.onError(txErrors::add);
            EncodedTrackSender sender = tx.newSender("cam").video(VideoCodec.VP8).audio(AudioCodec.OPUS).build();
            rx.newReceiver("in", MediaKind.VIDEO, MediaKind.AUDIO);
            source.then(sender, 50).start();
            await().atMost(Duration.ofSeconds(10)).until(() -> sender.videoPacketsSent() > 0);
            CompletableFuture<Void> n = rx.negotiate(); // the receiver offers VP9 only; the sender has VP8
            await().atMost(Duration.ofSeconds(15)).until(() -> !txErrors.isEmpty());
            System.out.println("no common codec: " + txErrors.get(0).getMessage());
            assertThat(txErrors.get(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("session 'vp8-sender'").hasMessageContaining("no common video codec")
                    .hasMessageContaining("VP8");
            assertThat(n).isNotDone();
        }
    }

    @Test
    void aPacketOfACodecTheTrackWasNotBuiltForIsDroppedCountedAndReported() throws Exception {
        try (EncodedRuntime gst = new EncodedRuntime("wrong-codec")) {
            EncodedPeerSession s = gst.newSession("vp8-only", EncodedSessionConfig.defaults(), new RecordingSignaller());
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            s.onError(errors::add);
            EncodedTrackSender sender = s.newSender("cam").video(VideoCodec.VP8).build();
            EncodedVideoPacket h264 = EncodedVideoPacket.own(VideoCodec.H264, new byte[] {0, 0, 0, 1, 0x65, 1, 2, 3}, true,
                    0, 0, 160, 120, null);
            assertThat(sender.send(h264)).isFalse();
            assertThat(sender.send(h264)).isFalse();
            assertThat(sender.droppedWrongCodec()).isEqualTo(2);
            assertThat(sender.videoPacketsSent()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> !errors.isEmpty());
            assertThat(errors).hasSize(1); // reported once per codec, counted every time
            assertThat(errors.get(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("sender 'cam'").hasMessageContaining("H264").hasMessageContaining("track was built for VP8");
        }
    }

    @Test
    void aCandidateForAnUnknownMediaSectionIsRefused() throws Exception {
        try (EncodedRuntime gst = new EncodedRuntime("bad-candidate");
             TestSource source = new TestSource("pattern", VideoCodec.VP8, 160, 120)) {
            RecordingSignaller peer = new RecordingSignaller();
            EncodedPeerSession s = gst.newSession("victim", JavaLoopbackTest.LOOPBACK, peer);
            EncodedTrackSender sender = s.newSender("cam").video(VideoCodec.VP8).build();
            source.then(sender, 50).start();
            CompletableFuture<Void> c = s.addRemoteCandidate(new IceCandidate("nope", 7,
                    "candidate:1 1 UDP 2122252543 127.0.0.1 40000 typ host"));
            assertThatThrownBy(() -> s.addRemoteCandidate(new IceCandidate("0", 0, "garbage")).get(5, SECONDS))
                    .cause().isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an ICE candidate line");
            assertThat(c).isNotDone(); // buffered until there is a remote description
        }
    }

    @Test
    void closingDuringNegotiationFailsTheNegotiationAtOnce() throws Exception {
        try (EncodedRuntime gst = new EncodedRuntime("close-negotiating")) {
            EncodedPeerSession s = gst.newSession("closing", JavaLoopbackTest.LOOPBACK, new RecordingSignaller());
            s.newSender("cam").video(VideoCodec.VP8).build(); // no packet will ever come: the offer waits for caps
            CompletableFuture<Void> n = s.negotiate();
            long t0 = System.nanoTime();
            s.close();
            assertThatThrownBy(() -> n.get(5, SECONDS)).cause().isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
            assertThat((System.nanoTime() - t0) / 1e9).as("seconds to close").isLessThan(5);
            assertThat(s.state()).isEqualTo(ConnectionState.CLOSED);
            s.close(); // idempotent
        }
    }

    @Test
    void closingWhileWaitingForTheAnswerFailsTheNegotiation() throws Exception {
        try (EncodedRuntime gst = new EncodedRuntime("close-offered");
             TestSource source = new TestSource("pattern", VideoCodec.VP8, 160, 120)) {
            RecordingSignaller peer = new RecordingSignaller();
            EncodedPeerSession s = gst.newSession("offered", JavaLoopbackTest.LOOPBACK, peer);
            EncodedTrackSender sender = s.newSender("cam").video(VideoCodec.VP8).audio(AudioCodec.OPUS).build();
            source.then(sender, 50).start();
            CompletableFuture<Void> n = s.negotiate();
            await().atMost(Duration.ofSeconds(10)).until(() -> !peer.offers.isEmpty());
            s.close();
            assertThatThrownBy(() -> n.get(5, SECONDS)).cause().isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
            long before = sender.droppedClosed();
            await().atMost(Duration.ofSeconds(5)).until(() -> sender.droppedClosed() > before); // the stream keeps going
            assertThat(source.stream.isActive()).isTrue();
        }
    }

    @Test
    void closingWhileStreamingStopsBothSidesCleanly() throws Exception {
        try (EncodedRuntime gst = new EncodedRuntime("close-streaming");
             TestSource source = new TestSource("pattern", VideoCodec.VP8, 160, 120)) {
            try (JavaViewer v = new JavaViewer(gst, "v", VideoCodec.VP8, 150)) {
                source.then(v.sender, 50).start();
                v.sender.onKeyframeRequest(r -> source.video.requestKeyframe());
                v.tx.negotiate().get(10, SECONDS);
                await().atMost(Duration.ofSeconds(10)).until(() -> v.video.get() > 20);
                v.tx.close(); // the sender's side closes mid-stream; a bye closes the receiver's side
                await().atMost(Duration.ofSeconds(5)).until(() -> v.rx.isClosed());
                long sent = v.sender.videoPacketsSent();
                long dropped = v.sender.droppedClosed();
                await().atMost(Duration.ofSeconds(5)).until(() -> v.sender.droppedClosed() > dropped + 10);
                assertThat(v.sender.videoPacketsSent()).isEqualTo(sent);
                assertThat(source.stream.isActive()).as("the source stream is not failed by a hang-up").isTrue();
                assertThat(gst.sessions()).isEmpty();
            }
        }
    }
}
