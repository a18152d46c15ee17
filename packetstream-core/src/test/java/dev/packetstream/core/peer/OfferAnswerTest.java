package dev.packetstream.core.peer;

import dev.packetstream.core.testing.RecordingSignaller;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shared offer/answer bookkeeping, driven by a pure-Java endpoint that makes numbered SDP
 * (the media engines are tested in their modules). The endpoint completes its futures either at
 * once (like the GStreamer session) or in a later event-thread task (like libwebrtc's callbacks).
 */
class OfferAnswerTest {
    private static final String HOST = "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host";

    /** One side: its event thread, lifecycle, a signaller that records what is sent, and an endpoint. */
    static final class Side implements OfferAnswer.Endpoint {
        final String name;
        final boolean async;
        final SessionLifecycle<TestState> lifecycle;
        final SessionEventThread events;
        final OfferAnswer negotiation;
        final RecordingSignaller signaller = new RecordingSignaller();
        final List<String> applied = new CopyOnWriteArrayList<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        volatile String failNextRemoteAnswer;
        volatile String lastOffer;
        volatile String lastAnswer;
        int made;

        Side(String name, boolean async, Duration answerTimeout) {
            this.name = name;
            this.async = async;
            this.lifecycle = new SessionLifecycle<>(name, TestState.class, IllegalStateException::new);
            this.events = new SessionEventThread("test-" + name + "-events", name, lifecycle::reportError);
            this.negotiation = new OfferAnswer(lifecycle, events, signaller, this, answerTimeout);
            lifecycle.addErrorListener(errors::add);
        }

        private <T> CompletableFuture<T> later(T value, RuntimeException failure) {
            if (!async) {
                return failure == null ? CompletableFuture.completedFuture(value) : CompletableFuture.failedFuture(failure);
            }
            CompletableFuture<T> f = new CompletableFuture<>();
            events.execute(() -> {
                if (failure == null) {
                    f.complete(value);
                } else {
                    f.completeExceptionally(failure);
                }
            });
            return f;
        }

        private String sdp(String kind) {
            return "v=0\r\no=- " + (++made) + " 0 IN IP4 127.0.0.1\r\ns=" + name + "-" + kind + "\r\nm=video 9 UDP 96\r\na=mid:0\r\n";
        }

        @Override
        public CompletableFuture<String> createAndSetOffer(boolean iceRestart) {
            lastOffer = sdp(iceRestart ? "restart-offer" : "offer");
            return later(lastOffer, null);
        }

        @Override
        public CompletableFuture<Void> setRemoteOffer(String sdp) {
            return later(null, null);
        }

        @Override
        public CompletableFuture<String> createAndSetAnswer(String remoteOffer) {
            lastAnswer = sdp("answer");
            return later(lastAnswer, null);
        }

        @Override
        public CompletableFuture<Void> setRemoteAnswer(String sdp) {
            String f = failNextRemoteAnswer;
            failNextRemoteAnswer = null;
            return later(null, f == null ? null : new IllegalArgumentException(f));
        }

        @Override
        public void addRemoteCandidate(IceCandidate candidate, String remoteSdp) {
            applied.add(candidate.address() + " for " + remoteSdp.split("\r\n")[2]);
        }

        /** What the session sent, each as its kind and the SDP's session name. */
        List<String> sent() {
            List<String> out = new java.util.ArrayList<>();
            signaller.offers.forEach(o -> out.add("offer " + o.split("\r\n")[2]));
            signaller.answers.forEach(o -> out.add("answer " + o.split("\r\n")[2]));
            return out;
        }

        OfferAnswer.State state() throws Exception {
            CompletableFuture<OfferAnswer.State> f = new CompletableFuture<>();
            events.execute(() -> f.complete(negotiation.state()), f);
            return f.get(5, TimeUnit.SECONDS);
        }

        void close() throws InterruptedException {
            if (lifecycle.beginClose()) {
                lifecycle.closeOn(events, () -> {
                    IllegalStateException gone = lifecycle.gone();
                    negotiation.closed(gone);
                    lifecycle.closed(gone);
                });
            }
            events.awaitTermination(Duration.ofSeconds(5));
        }
    }

    enum TestState {
        NEW, CONNECTING, CONNECTED, FAILED, CLOSED
    }

    private final List<Side> sides = new CopyOnWriteArrayList<>();

    private Side side(String name, boolean async) {
        return side(name, async, null);
    }

    private Side side(String name, boolean async, Duration answerTimeout) {
        Side s = new Side(name, async, answerTimeout);
        sides.add(s);
        return s;
    }

    @AfterEach
    void closeSides() throws InterruptedException {
        for (Side s : sides) {
            s.close();
        }
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(5, TimeUnit.SECONDS);
    }

    private static Throwable failure(CompletableFuture<?> f) {
        try {
            f.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("the future neither completed nor failed within 5 s", e);
        }
        throw new AssertionError("expected the future to fail, it completed");
    }

    private void exchange(Side offerer, Side answerer) throws Exception {
        int offersBefore = offerer.signaller.offers.size();
        CompletableFuture<Void> negotiated = offerer.negotiation.offer(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> offerer.signaller.offers.size() == offersBefore + 1);
        String answer = get(answerer.negotiation.acceptOffer(offerer.signaller.offers.get(offersBefore)));
        get(offerer.negotiation.acceptAnswer(answer));
        get(negotiated);
    }

    @Test
    void anOfferIsSentAnsweredAndAppliedAndBothSidesEndStableWhetherTheEngineAnswersAtOnceOrLater() throws Exception {
        for (boolean async : new boolean[] {false, true}) {
            Side a = side("a-" + async, async);
            Side b = side("b-" + async, async);
            exchange(a, b);
            assertThat(a.sent()).containsExactly("offer s=a-" + async + "-offer");
            assertThat(b.sent()).containsExactly("answer s=b-" + async + "-answer");
            assertThat(a.state()).isEqualTo(OfferAnswer.State.STABLE);
            assertThat(b.state()).isEqualTo(OfferAnswer.State.STABLE);
            exchange(b, a); // and the other way round on the same sessions
            assertThat(b.sent()).contains("offer s=b-" + async + "-offer");
        }
    }

    @Test
    void candidatesThatArriveBeforeTheRemoteDescriptionAreBufferedThenAppliedInOrder() throws Exception {
        Side a = side("a", true);
        Side b = side("b", true);
        CompletableFuture<Void> c1 = b.negotiation.addRemoteCandidate(new IceCandidate("0", 0, HOST));
        CompletableFuture<Void> c2 = b.negotiation.addRemoteCandidate(new IceCandidate("0", 0, HOST.replace("127.0.0.1", "127.0.0.2")));
        b.state(); // both candidates have reached the event thread
        assertThat(c1).isNotDone();
        assertThat(c2).isNotDone();
        assertThat(b.applied).isEmpty();
        exchange(a, b);
        get(c1);
        get(c2);
        get(b.negotiation.addRemoteCandidate(new IceCandidate("0", 0, HOST.replace("127.0.0.1", "127.0.0.3"))));
        assertThat(b.applied).containsExactly("127.0.0.1 for s=a-offer", "127.0.0.2 for s=a-offer", "127.0.0.3 for s=a-offer");
    }

    @Test
    void theEndOfCandidatesMarkerCompletesAtOnceAndIsNotPassedToTheEngine() throws Exception {
        Side a = side("a", false);
        a.negotiation.listen(() -> { });
        a.signaller.listener.onCandidate(IceCandidate.endOfCandidates("0", 0));
        get(a.negotiation.addRemoteCandidate(IceCandidate.endOfCandidates("0", 0)));
        a.state();
        assertThat(a.applied).isEmpty();
        assertThat(a.errors).isEmpty();
    }

    @Test
    void aSecondOfferWhileTheFirstWaitsForItsAnswerIsRefused() throws Exception {
        Side a = side("a", false);
        CompletableFuture<Void> first = a.negotiation.offer(false);
        assertThat(failure(a.negotiation.offer(true))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("session 'a'").hasMessageContaining("already waiting for its answer");
        assertThat(first).isNotDone();
        assertThat(a.state()).isEqualTo(OfferAnswer.State.HAVE_LOCAL_OFFER);
    }

    @Test
    void anOfferThatArrivesWhileOurOwnIsOutstandingIsRefusedAsGlareAndOurOfferStillCompletes() throws Exception {
        Side a = side("a", true);
        Side b = side("b", true);
        CompletableFuture<Void> ours = a.negotiation.offer(false);
        CompletableFuture<Void> theirs = b.negotiation.offer(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> a.sent().size() == 1 && b.sent().size() == 1);
        assertThat(failure(a.negotiation.acceptOffer(b.lastOffer))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("session 'a'").hasMessageContaining("glare");
        assertThat(failure(b.negotiation.acceptOffer(a.lastOffer))).hasMessageContaining("glare");
        assertThat(ours).isNotDone();
        assertThat(theirs).isNotDone();
    }

    @Test
    void anAnswerWithoutAnOutstandingOfferIsRefusedNamingTheState() throws Exception {
        Side a = side("a", false);
        Side b = side("b", false);
        exchange(a, b);
        assertThat(failure(a.negotiation.acceptAnswer(b.lastAnswer))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("session 'a'").hasMessageContaining("no offer outstanding (signaling state STABLE)");
    }

    @Test
    void anAnswerTheEngineRefusesFailsTheOfferAndRollsBackSoEitherSideMayOfferAgain() throws Exception {
        Side a = side("a", true);
        Side b = side("b", true);
        CompletableFuture<Void> negotiated = a.negotiation.offer(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> a.sent().size() == 1);
        String answer = get(b.negotiation.acceptOffer(a.lastOffer));
        a.failNextRemoteAnswer = "no common codec";
        assertThat(failure(a.negotiation.acceptAnswer(answer))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no common codec");
        assertThat(failure(negotiated)).isInstanceOf(IllegalArgumentException.class).hasMessage("no common codec");
        assertThat(a.state()).isEqualTo(OfferAnswer.State.STABLE);
        exchange(b, a);
        exchange(a, b);
    }

    @Test
    void anOfferWithNoAnswerWithinTheTimeoutFailsAndTheSessionIsStableAgain() throws Exception {
        Side a = side("a", false, Duration.ofMillis(50));
        Throwable e = failure(a.negotiation.offer(false));
        assertThat(e).isInstanceOf(TimeoutException.class).hasMessageContaining("session 'a'").hasMessageContaining("no answer within PT0.05S");
        assertThat(a.state()).isEqualTo(OfferAnswer.State.STABLE);
    }

    @Test
    void malformedDescriptionsAndCandidatesAreRefusedNamingTheSession() throws Exception {
        Side a = side("victim", false);
        assertThat(failure(a.negotiation.acceptOffer("hello, I am not SDP"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("session 'victim'").hasMessageContaining("remote offer is not an SDP session description");
        assertThat(failure(a.negotiation.acceptAnswer(null))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("it starts with null");
        assertThat(failure(a.negotiation.addRemoteCandidate(new IceCandidate("0", 0, "garbage"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an ICE candidate line");
    }

    @Test
    void signalledMessagesReachTheMachineAndTheirFailuresGoToTheErrorListeners() throws Exception {
        Side a = side("a", false);
        List<String> byes = new CopyOnWriteArrayList<>();
        a.negotiation.listen(() -> byes.add("bye"));
        a.signaller.listener.onOffer("v=0\r\no=- 1 0 IN IP4 127.0.0.1\r\ns=peer-offer\r\nm=video 9 UDP 96\r\na=mid:0\r\n");
        a.signaller.listener.onAnswer("not sdp");
        a.signaller.listener.onBye();
        await().atMost(Duration.ofSeconds(5)).until(() -> a.errors.size() == 1 && a.sent().size() == 1);
        assertThat(a.sent()).containsExactly("answer s=a-answer");
        assertThat(a.errors.get(0)).hasMessageContaining("remote answer is not an SDP session description");
        assertThat(byes).containsExactly("bye");
    }

    @Test
    void closingFailsThePendingOfferAndTheBufferedCandidatesAndRefusesWhatComesLater() throws Exception {
        Side a = side("a", true);
        CompletableFuture<Void> negotiated = a.negotiation.offer(false);
        CompletableFuture<Void> candidate = a.negotiation.addRemoteCandidate(new IceCandidate("0", 0, HOST));
        a.state();
        a.close();
        assertThat(failure(negotiated)).isInstanceOf(IllegalStateException.class).hasMessage("session 'a' closed");
        assertThat(failure(candidate)).isInstanceOf(IllegalStateException.class).hasMessage("session 'a' closed");
        assertThat(failure(a.negotiation.offer(false))).isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
        assertThat(a.lifecycle.state()).isEqualTo(TestState.CLOSED);
    }
}
