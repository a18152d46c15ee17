package dev.packetstream.core.peer;

import dev.packetstream.core.testing.RecordingSignaller;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The shared session facade, on a pure-Java engine whose descriptions are plain text. */
class AbstractPeerSessionTest {
    enum State {
        NEW, CONNECTING, CONNECTED, DISCONNECTED, FAILED, CLOSED
    }

    /** An engine that makes numbered SDP at once and records its tear-down. */
    static final class TextSession extends AbstractPeerSession<State, TextSession> implements OfferAnswer.Endpoint {
        final List<String> log = new CopyOnWriteArrayList<>();
        private final Signaller signaller;
        private int made;

        TextSession(String name, Signaller signaller) {
            super("text", "rt", name, State.class, IllegalStateException::new, e -> e);
            this.signaller = signaller;
            negotiateThrough(signaller, this, null);
        }

        private String sdp(String kind) {
            return "v=0\r\no=- " + (++made) + " 0 IN IP4 127.0.0.1\r\ns=" + name() + "-" + kind + "\r\nm=video 9 UDP 96\r\na=mid:0\r\n";
        }

        @Override
        public CompletableFuture<String> createAndSetOffer(boolean iceRestart) {
            return CompletableFuture.completedFuture(sdp("offer"));
        }

        @Override
        public CompletableFuture<Void> setRemoteOffer(String sdp) {
            log.add("remote offer on " + Thread.currentThread().getName());
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<String> createAndSetAnswer(String remoteOffer) {
            return CompletableFuture.completedFuture(sdp("answer"));
        }

        @Override
        public CompletableFuture<Void> setRemoteAnswer(String sdp) {
            log.add("remote answer");
            lifecycle().connectionChanged(State.CONNECTED, "advice");
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void addRemoteCandidate(IceCandidate candidate, String remoteSdp) {
            log.add("candidate " + candidate.address());
        }

        @Override
        protected void tearDown(boolean sendBye) {
            log.add("tear-down, bye " + sendBye);
            if (sendBye) {
                lifecycle().sendBye(signaller);
            }
            IllegalStateException gone = lifecycle().gone();
            offerAnswer().closed(gone);
            lifecycle().closed(gone);
        }
    }

    @Test
    void twoSessionsNegotiateThroughTheirSignallersAndAByeClosesThePeerWithoutAByeBack() throws Exception {
        InMemorySignaller.Pair link = InMemorySignaller.pair();
        TextSession a = new TextSession("a", link.a());
        TextSession b = new TextSession("b", link.b());
        List<State> states = new CopyOnWriteArrayList<>();
        assertThat(a.onStateChange(states::add)).isSameAs(a);
        a.negotiate().get(5, TimeUnit.SECONDS);
        a.connected().get(5, TimeUnit.SECONDS);
        assertThat(b.log).containsExactly("remote offer on text-rt-b-events");
        assertThat(a.log).containsExactly("remote answer");
        assertThat(a.state()).isEqualTo(State.CONNECTED);

        a.close();
        b.closedFuture().get(5, TimeUnit.SECONDS);
        assertThat(a.log).endsWith("tear-down, bye true");
        assertThat(b.log).endsWith("tear-down, bye false");
        assertThat(states).containsExactly(State.CONNECTED, State.CLOSED);
        assertThat(a.toString()).isEqualTo("TextSession('a', CLOSED)");
        assertThatThrownBy(() -> a.negotiate().get(5, TimeUnit.SECONDS)).cause().hasMessageContaining("session 'a' is closed");
    }

    @Test
    void closingFromAListenerOnTheEventThreadDoesNotWaitForItself() throws Exception {
        RecordingSignaller peer = new RecordingSignaller();
        TextSession s = new TextSession("self", peer);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        CompletableFuture<Boolean> returned = new CompletableFuture<>();
        s.onError(errors::add).onStateChange(state -> {
            if (state == State.CONNECTING) {
                s.close(); // would deadlock if it waited for the tear-down queued behind this listener
                returned.complete(s.isClosed());
            }
        });
        s.eventThread().execute(() -> s.lifecycle().connectionChanged(State.CONNECTING, "advice"));
        assertThat(returned.get(5, TimeUnit.SECONDS)).isTrue();
        s.closedFuture().get(5, TimeUnit.SECONDS);
        assertThat(peer.byes.get()).isEqualTo(1);
        assertThat(errors).isEmpty();
        s.close(); // twice: nothing more
        assertThat(peer.byes.get()).isEqualTo(1);
    }

    @Test
    void aSessionWithoutANameIsRefusedBeforeAnyThreadIsMade() {
        assertThatThrownBy(() -> new TextSession("", new RecordingSignaller()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a name");
    }
}
