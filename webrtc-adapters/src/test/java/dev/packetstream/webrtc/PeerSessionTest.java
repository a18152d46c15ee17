package dev.packetstream.webrtc;

import dev.packetstream.core.peer.InMemorySignaller;
import dev.packetstream.core.peer.IceCandidate;
import dev.packetstream.core.peer.Signaller;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.packetstream.core.AttachOption;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.RawPacket;
import dev.packetstream.core.Retention;
import dev.packetstream.core.SingleThreadEventLoop;
import dev.packetstream.core.media.RawVideoFrame;
import dev.packetstream.core.media.VideoCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Negotiation, ICE, threads and stats of a session, in loopback. */
class PeerSessionTest {

    @Test
    void connectionStateListenersRunOnTheSessionsOwnEventThread() throws Exception {
        try (Loopback link = new Loopback("threads")) {
            Set<String> threads = ConcurrentHashMap.newKeySet();
            List<ConnectionState> states = new CopyOnWriteArrayList<>();
            link.a.onStateChange(s -> {
                threads.add(Thread.currentThread().getName());
                states.add(s);
            });
            link.a.createDataChannel("x");
            link.connect();
            assertThat(states).contains(ConnectionState.CONNECTING, ConnectionState.CONNECTED);
            assertThat(threads).containsExactly("rtc-threads-A-a-events");
        }
    }

    @Test
    void remoteCandidatesThatArriveBeforeTheOfferAreBufferedAndApplied() throws Exception {
        try (RtcRuntime rtcA = new RtcRuntime("early-A"); RtcRuntime rtcB = new RtcRuntime("early-B")) {
            InMemorySignaller.Pair link = InMemorySignaller.pair();
            List<IceCandidate> candidates = new CopyOnWriteArrayList<>();
            List<String> offers = new CopyOnWriteArrayList<>();
            Signaller.Listener[] toB = new Signaller.Listener[1];
            // A's outgoing messages are held back, then delivered to B candidates-first
            Signaller holdingA = new Signaller() {
                @Override
                public void bind(Listener listener) {
                    link.a().bind(listener);
                }

                @Override
                public void sendOffer(String sdp) {
                    offers.add(sdp);
                }

                @Override
                public void sendAnswer(String sdp) {
                    link.a().sendAnswer(sdp);
                }

                @Override
                public void sendCandidate(IceCandidate candidate) {
                    candidates.add(candidate);
                }

                @Override
                public void sendBye() {
                    link.a().sendBye();
                }
            };
            Signaller capturingB = new Signaller() {
                @Override
                public void bind(Listener listener) {
                    toB[0] = listener;
                    link.b().bind(listener);
                }

                @Override
                public void sendOffer(String sdp) {
                    link.b().sendOffer(sdp);
                }

                @Override
                public void sendAnswer(String sdp) {
                    link.b().sendAnswer(sdp);
                }

                @Override
                public void sendCandidate(IceCandidate candidate) {
                    link.b().sendCandidate(candidate);
                }

                @Override
                public void sendBye() {
                    link.b().sendBye();
                }
            };
            PeerSession a = rtcA.newSession("a", PeerSessionConfig.loopback(), holdingA);
            PeerSession b = rtcB.newSession("b", PeerSessionConfig.loopback(), capturingB);
            a.createDataChannel("x");
            var answered = a.negotiate();
            Polling.awaitUpTo(Duration.ofSeconds(5), Duration.ofMillis(10), () -> !offers.isEmpty() && !candidates.isEmpty());
            assertThat(candidates).isNotEmpty();
            List<java.util.concurrent.CompletableFuture<Void>> applied = new ArrayList<>();
            for (IceCandidate c : candidates) {
                applied.add(b.addRemoteCandidate(c)); // no remote description yet: buffered
            }
            assertThat(applied).noneMatch(java.util.concurrent.CompletableFuture::isDone);
            toB[0].onOffer(offers.get(0));
            answered.get(10, TimeUnit.SECONDS);
            for (var f : applied) {
                f.get(5, TimeUnit.SECONDS);
            }
            b.connected().get(10, TimeUnit.SECONDS);
            assertThat(b.state()).isEqualTo(ConnectionState.CONNECTED);
        }
    }

    @Test
    void localCandidatesUseTheConfiguredUdpPortRange() throws Exception {
        PeerSessionConfig config = PeerSessionConfig.builder().loopbackOnly(true).udpPortRange(42000, 42020).build();
        List<IceCandidate> sent = new CopyOnWriteArrayList<>();
        PeerSessionConfig recording = PeerSessionConfig.builder().loopbackOnly(true).udpPortRange(42000, 42020)
                .candidateFilter(c -> {
                    sent.add(c);
                    return c;
                }).build();
        try (Loopback link = new Loopback("ports", recording)) {
            link.a.createDataChannel("x");
            link.connect();
            assertThat(sent).isNotEmpty().allSatisfy(c -> {
                assertThat(c.address()).isEqualTo("127.0.0.1");
                int port = Integer.parseInt(c.candidate().trim().split("\\s+")[5]);
                assertThat(port).isBetween(42000, 42020);
            });
            assertThat(config.minPort()).isEqualTo(42000);
        }
    }

    @Test
    void iceServersWithCredentialsAreAcceptedAndTurnWithoutCredentialsIsRefused() {
        PeerSessionConfig config = PeerSessionConfig.builder()
                .iceServer(IceServer.stun("stun:127.0.0.1:3478"))
                .iceServer(IceServer.turn("turn:127.0.0.1:3478?transport=udp", "user", "secret"))
                .build();
        try (RtcRuntime rtc = new RtcRuntime("ice-servers")) {
            PeerSession s = rtc.newSession("s", config, InMemorySignaller.pair().a());
            assertThat(s.config().iceServers()).hasSize(2);
            assertThat(s.config().iceServers().get(1).toString()).doesNotContain("secret");
        }
        assertThatThrownBy(() -> new IceServer(List.of("turn:example.org"), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a username and a credential");
        assertThatThrownBy(() -> IceServer.stun("http://example.org"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must start with stun:");
    }

    @Test
    void anIceRestartRenegotiatesAndDataKeepsFlowing() throws Exception {
        try (Loopback link = new Loopback("restart"); PacketStream in = new PacketStream("in")) {
            WebRtcDataChannel ch = link.a.createDataChannel("ping");
            link.connect();
            WebRtcDataChannel remote = link.b.remoteDataChannel("ping").get(10, TimeUnit.SECONDS);
            CountDownLatch two = new CountDownLatch(2);
            in.attachSource(remote, AttachOption.SYNC_STATE);
            in.addSink("count", p -> two.countDown());
            in.start();
            ch.opened().get(10, TimeUnit.SECONDS);
            ch.sendText("before");
            link.a.restartIce().get(10, TimeUnit.SECONDS);
            ch.sendText("after");
            assertThat(two.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(link.a.state()).isEqualTo(ConnectionState.CONNECTED);
        }
    }

    @Test
    void twoRuntimesInOneJvmAreIndependentClosingOneLeavesTheOtherServing() throws Exception {
        try (Loopback link = new Loopback("indep")) {
            WebRtcDataChannel ch = link.a.createDataChannel("d");
            RtcRuntime other = new RtcRuntime("other");
            PeerSession doomed = other.newSession("doomed", PeerSessionConfig.loopback(), InMemorySignaller.pair().a());
            doomed.createDataChannel("z");
            link.connect();
            other.close(); // with its session still open
            assertThat(doomed.isClosed()).isTrue();
            WebRtcDataChannel remote = link.b.remoteDataChannel("d").get(10, TimeUnit.SECONDS);
            CountDownLatch got = new CountDownLatch(1);
            try (PacketStream in = new PacketStream("in")) {
                in.attachSource(remote, AttachOption.SYNC_STATE);
                in.addSink("got", p -> got.countDown());
                in.start();
                ch.opened().get(10, TimeUnit.SECONDS);
                ch.accept(RawPacket.copyOf(new byte[] {1, 2, 3}));
                assertThat(got.await(10, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    @Test
    void aReceiverCanDeliverOnAnEventLoopAndRetainedFramesAreReleasedByTheirKeeper() throws Exception {
        try (Loopback link = new Loopback("hop");
             SingleThreadEventLoop loop = new SingleThreadEventLoop("media-loop");
             PacketStream out = new PacketStream("out");
             PacketStream in = new PacketStream("in")) {
            out.attach(link.a.newSender("cam").video(true).build(), 0);
            WebRtcTrackReceiver receiver = link.b.newReceiver("remote", MediaKind.VIDEO).deliverOn(loop);
            Set<String> threads = ConcurrentHashMap.newKeySet();
            List<RawVideoFrame> kept = new CopyOnWriteArrayList<>();
            in.attachSource(receiver, AttachOption.SYNC_STATE);
            in.addSink("keep", p -> {
                threads.add(Thread.currentThread().getName());
                if (p instanceof RawVideoFrame f && kept.size() < 5) {
                    assertThat(f.isRefCounted()).isTrue();
                    f.retain();
                    kept.add(f);
                }
            }, Retention.RETAINED);
            out.start();
            in.start();
            link.connect();
            TestMedia.VideoPainter painter = new TestMedia.VideoPainter(320, 240);
            Pacer.run("hop-push", 30, 33_333, n -> out.write(painter.frame(n, -1, n * 33_333)));
            Polling.awaitUpTo(Duration.ofSeconds(3), Duration.ofMillis(20), () -> kept.size() >= 5);
            assertThat(threads).containsExactly("media-loop");
            assertThat(kept).hasSize(5);
            for (RawVideoFrame f : kept) {
                assertThat(f.width()).isEqualTo(320); // still valid: we hold a reference
                assertThat(f.release()).isTrue();     // ours was the last one
            }
        }
    }

    @Test
    void aStatsSnapshotNamesTheCodecResolutionFramesBitrateAndRoundTripTime() throws Exception {
        PeerSessionConfig config = PeerSessionConfig.builder().loopbackOnly(true).videoCodecs(VideoCodec.VP9).build();
        try (Loopback link = new Loopback("stats", config); PacketStream out = new PacketStream("out")) {
            out.attach(link.a.newSender("cam").video(true).build(), 0);
            link.b.newReceiver("remote", MediaKind.VIDEO).start();
            out.start();
            link.connect();
            TestMedia.VideoPainter painter = new TestMedia.VideoPainter(640, 480);
            SessionStats[] first = new SessionStats[1];
            Pacer.run("stats-push", 60, 33_333, n -> {
                out.write(painter.frame(n, -1, n * 33_333));
                if (n == 20) {
                    first[0] = link.a.stats().join();
                }
            });
            SessionStats sent = link.a.stats().get(5, TimeUnit.SECONDS);
            SessionStats got = link.b.stats().get(5, TimeUnit.SECONDS);
            RtpStreamStats o = sent.outboundVideo().orElseThrow();
            RtpStreamStats i = got.inboundVideo().orElseThrow();
            System.out.println(sent + "\n" + got);
            assertThat(first[0]).isNotNull();
            assertThat(o.codec()).isEqualToIgnoringCase("video/VP9");
            assertThat(o.width()).isEqualTo(640);
            assertThat(o.height()).isEqualTo(480);
            assertThat(o.framesEncoded()).isGreaterThan(10);
            assertThat(o.bitrateBps()).isPositive();
            assertThat(o.framesPerSecond()).isPositive();
            assertThat(o.qualityLimitationReason()).isIn("none", "cpu", "bandwidth", "other");
            assertThat(i.framesDecoded()).isGreaterThan(10);
            assertThat(i.packetsLost()).isGreaterThanOrEqualTo(0);
            assertThat(sent.roundTripTimeMs()).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void aByeFromThePeerClosesTheSessionAndNeitherSideMindsClosingAgain() throws Exception {
        try (Loopback link = new Loopback("bye")) {
            link.a.createDataChannel("x");
            link.connect();
            link.a.close();
            link.b.closedFuture().get(10, TimeUnit.SECONDS);
            assertThat(link.b.isClosed()).isTrue();
            assertThat(link.b.state()).isEqualTo(ConnectionState.CLOSED);
            link.b.close();
            assertThat(link.rtcB.sessions()).isEmpty();
        }
    }

    @Test
    void closingTheRuntimeFromItsOwnSessionsEventThreadIsRefusedInsteadOfDeadlocking() throws Exception {
        try (Loopback link = new Loopback("self-close")) {
            java.util.concurrent.CompletableFuture<Throwable> refused = new java.util.concurrent.CompletableFuture<>();
            link.a.onStateChange(s -> {
                if (s == ConnectionState.CONNECTED) {
                    try {
                        link.rtcA.close();
                        refused.complete(null);
                    } catch (IllegalStateException e) {
                        refused.complete(e);
                    }
                }
            });
            link.a.createDataChannel("x");
            link.connect();
            assertThat(refused.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("own thread").hasMessageContaining("another thread");
            assertThat(link.rtcA.isClosed()).isFalse();
        }
    }
}
