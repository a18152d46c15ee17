package dev.packetstream.signaling;

import dev.packetstream.core.peer.IceCandidate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SignalingClient against a real server: the listener API, its thread, reconnection, close. */
class SignalingClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private SignalingServer server;

    /** Records each callback as "kind:detail" with the thread it ran on. */
    static final class Recorder implements SignalingListener {
        final BlockingQueue<String> calls = new LinkedBlockingQueue<>();
        final BlockingQueue<String> threads = new LinkedBlockingQueue<>();

        private void record(String call) {
            threads.add(Thread.currentThread().getName());
            calls.add(call);
        }

        String next() throws InterruptedException {
            String call = calls.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(call).as("a listener call within %s", TIMEOUT).isNotNull();
            return call;
        }

        String nextStartingWith(String prefix) throws InterruptedException {
            for (int i = 0; i < 50; i++) {
                String call = next();
                if (call.startsWith(prefix)) {
                    return call;
                }
            }
            throw new AssertionError("no " + prefix + " call among 50");
        }

        @Override public void onJoined(Joined joined) { record("joined:" + joined.selfId() + ":" + joined.peers()); }
        @Override public void onPeerJoined(PeerInfo peer) { record("peer-joined:" + peer.id() + ":" + peer.role()); }
        @Override public void onPeerLeft(PeerInfo peer) { record("peer-left:" + peer.id()); }
        @Override public void onOffer(PeerInfo from, String sdp) { record("offer:" + from.id() + ":" + from.role() + ":" + sdp); }
        @Override public void onAnswer(PeerInfo from, String sdp) { record("answer:" + from.id() + ":" + sdp); }
        @Override public void onCandidate(PeerInfo from, IceCandidate c) { record("candidate:" + from.id() + ":" + c); }
        @Override public void onBye(PeerInfo from) { record("bye:" + from.id()); }
        @Override public void onEvent(PeerInfo from, JsonNode data, boolean toRoom) { record("event:" + from.id() + ":" + toRoom + ":" + data); }
        @Override public void onError(SignalingError error) { record("error:" + error.code() + ":" + error.ref()); }
        @Override public void onDisconnected(int status, String reason, boolean reconnecting) { record("disconnected:" + reconnecting); }
    }

    @BeforeEach
    void start() {
        server = SignalingServer.builder().build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private SignalingClient.Builder client(String role, Recorder recorder) {
        return SignalingClient.builder(server.webSocketUri()).room("room").role(role).listener(recorder);
    }

    @Test
    void twoClientsNegotiateThroughTheListenerApiOnTheClientsEventThread() throws Exception {
        Recorder pubCalls = new Recorder();
        Recorder viewCalls = new Recorder();
        try (SignalingClient publisher = client("publisher", pubCalls).build();
             SignalingClient viewer = client("viewer", viewCalls).build()) {
            Joined pubJoined = publisher.connect().get(10, TimeUnit.SECONDS);
            assertThat(pubJoined.peers()).isEmpty();
            assertThat(publisher.selfId()).isEqualTo(pubJoined.selfId());
            Joined viewJoined = viewer.connect().get(10, TimeUnit.SECONDS);
            assertThat(viewJoined.peers()).containsExactly(new PeerInfo(pubJoined.selfId(), "publisher"));

            assertThat(pubCalls.next()).startsWith("joined:");
            assertThat(pubCalls.next()).isEqualTo("peer-joined:" + viewJoined.selfId() + ":viewer");

            publisher.sendOffer(viewJoined.selfId(), "v=0 offer").get(5, TimeUnit.SECONDS);
            assertThat(viewCalls.nextStartingWith("offer")).isEqualTo("offer:" + pubJoined.selfId() + ":publisher:v=0 offer");
            viewer.sendAnswer(pubJoined.selfId(), "v=0 answer");
            viewer.sendCandidate(pubJoined.selfId(), new IceCandidate("0", 0, "candidate:1 1 udp 1 127.0.0.1 9 typ host"));
            viewer.sendCandidate(pubJoined.selfId(), IceCandidate.endOfCandidates(null, null));
            assertThat(pubCalls.next()).isEqualTo("answer:" + viewJoined.selfId() + ":v=0 answer");
            assertThat(pubCalls.next()).contains("candidate:1 1 udp", "sdpMid=0", "sdpMLineIndex=0");
            assertThat(pubCalls.next()).contains("candidate=", "sdpMid=null", "sdpMLineIndex=null");

            publisher.broadcastEvent(Map.of("boxes", List.of(Map.of("x", 1, "y", 2, "w", 3, "h", 4))));
            assertThat(viewCalls.next()).startsWith("event:" + pubJoined.selfId() + ":true:{\"boxes\":[{")
                    .contains("\"x\":1", "\"y\":2", "\"w\":3", "\"h\":4");
            viewer.sendEvent(pubJoined.selfId(), Map.of("ack", true));
            assertThat(pubCalls.next()).isEqualTo("event:" + viewJoined.selfId() + ":false:{\"ack\":true}");

            viewer.sendBye(pubJoined.selfId());
            assertThat(pubCalls.next()).isEqualTo("bye:" + viewJoined.selfId());

            publisher.sendOffer("pNoSuchPeer", "v=0");
            assertThat(pubCalls.next()).isEqualTo("error:unknown-peer:offer");

            for (Recorder r : List.of(pubCalls, viewCalls)) {
                assertThat(r.threads).allSatisfy(name -> assertThat(name).startsWith("signaling-client-"));
            }
            viewer.leave();
            assertThat(pubCalls.next()).isEqualTo("peer-left:" + viewJoined.selfId());
            assertThat(viewer.isJoined()).isFalse();
        }
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheCallsThatFollow() throws Exception {
        Recorder calls = new Recorder();
        SignalingListener throwing = new SignalingListener() {
            @Override
            public void onPeerJoined(PeerInfo peer) {
                throw new IllegalStateException("a listener bug (expected by this test)");
            }

            @Override
            public void onOffer(PeerInfo from, String sdp) {
                calls.onOffer(from, sdp);
            }
        };
        try (SignalingClient viewer = client("viewer", new Recorder()).listener(throwing).build();
             SignalingClient publisher = client("publisher", calls).build()) {
            viewer.connect().get(10, TimeUnit.SECONDS);
            Joined joined = publisher.connect().get(10, TimeUnit.SECONDS);
            String viewerId = joined.peers().get(0).id();
            try (SignalingClient second = client("viewer", new Recorder()).build()) {
                second.connect().get(10, TimeUnit.SECONDS); // the first viewer's listener throws on this
                publisher.sendOffer(viewerId, "v=0 after the throw");
                assertThat(calls.nextStartingWith("offer:")).endsWith("v=0 after the throw");
            }
        }
    }

    @Test
    void sendingBeforeJoiningOrAfterCloseFailsWithAMessageSayingWhatToDo() throws Exception {
        SignalingClient client = client("viewer", new Recorder()).build();
        ExecutionException early = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> client.sendOffer("x", "v=0").get(5, TimeUnit.SECONDS));
        assertThat(early.getCause()).isInstanceOf(IllegalStateException.class).hasMessageContaining("connect()");
        client.connect().get(10, TimeUnit.SECONDS);
        assertThatThrownBy(client::connect).isInstanceOf(IllegalStateException.class).hasMessageContaining("once");
        client.close();
        ExecutionException late = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> client.sendOffer("x", "v=0").get(5, TimeUnit.SECONDS));
        assertThat(late.getCause()).hasMessageContaining("closed");
        client.close(); // idempotent
    }

    @Test
    void aRefusedJoinFailsConnectWithTheServersError() {
        try (SignalingServer guarded = SignalingServer.builder()
                .requireTokens(TokenIssuer.withSecret("a-test-secret-of-at-least-32-bytes-long")).build().start();
             SignalingClient client = SignalingClient.builder(guarded.webSocketUri()).room("r").role("viewer")
                     .token("forged.token").build()) {
            assertThatThrownBy(() -> client.connect().get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SignalingException.class)
                    .satisfies(e -> assertThat(((SignalingException) e.getCause()).error().errorCode())
                            .isEqualTo(ErrorCode.TOKEN_INVALID));
        }
    }

    @Test
    void aConnectionThatCannotBeMadeFailsConnectAndTheWrongOriginIsNamed() {
        try (SignalingServer strict = SignalingServer.builder().build().start();
             SignalingClient client = SignalingClient.builder(strict.webSocketUri()).room("r").role("viewer")
                     .origin("https://evil.example.com").build()) {
            assertThatThrownBy(() -> client.connect().get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SignalingException.class).hasMessageContaining("403");
        }
    }

    @Test
    void afterTheServerRestartsTheClientReconnectsWithBackOffAndJoinsAgainWithANewId() throws Exception {
        Recorder calls = new Recorder();
        int port = server.port();
        try (SignalingClient client = client("viewer", calls)
                .reconnect(new Backoff(Duration.ofMillis(50), Duration.ofMillis(400), 100)).build()) {
            Joined first = client.connect().get(10, TimeUnit.SECONDS);
            assertThat(calls.next()).startsWith("joined:" + first.selfId());

            server.close();
            assertThat(calls.next()).isEqualTo("disconnected:true");
            assertThat(client.isJoined()).isFalse();
            server = SignalingServer.builder().port(port).build().start();

            String rejoined = calls.nextStartingWith("joined:");
            assertThat(rejoined).doesNotContain(first.selfId());
            await().atMost(TIMEOUT).until(client::isJoined);
            assertThat(server.figures().peers()).isEqualTo(1);
        }
    }

    @Test
    void closeStopsTheClientsThreadsSoTheJvmCanExit() throws Exception {
        SignalingClient client = client("viewer", new Recorder()).build();
        client.connect().get(10, TimeUnit.SECONDS);
        assertThat(clientThreads()).isNotEmpty();
        client.close();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(clientThreads()).isEmpty());
        await().atMost(TIMEOUT).until(() -> server.figures().connections() == 0);
    }

    private static List<String> clientThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("signaling-client-")).toList();
    }
}
