package dev.packetstream.signaling.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.packetstream.core.peer.IceCandidate;
import dev.packetstream.core.peer.Signaller;
import dev.packetstream.signaling.SignalingClient;
import dev.packetstream.signaling.SignalingServer;
import dev.packetstream.signaling.TokenIssuer;
import dev.packetstream.webrtc.ConnectionState;
import dev.packetstream.webrtc.PeerSession;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real signaling server, real signaling clients, and a libwebrtc session on each side: the
 * bridge carries offers, answers, candidates and bye between them.
 */
class RoomConnectionTest {
    private static final Duration CONNECT = Duration.ofSeconds(30);
    private SignalingServer server;

    @BeforeEach
    void startServer() {
        server = SignalingServer.builder().servePages(false).build().start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void sessionsConnectThroughTheRoomWithPeersPresentBeforeAndAfterTheJoin() throws Exception {
        try (RoomSide early = RoomSide.answering("early", server, "demo", "viewer");
             RoomSide publisher = RoomSide.offering("pub", server, "demo", "publisher", "viewer");
             RoomSide late = RoomSide.answering("late", server, "demo", "viewer")) {
            await().atMost(CONNECT).until(() -> publisher.sessions.size() == 2);
            for (PeerSession s : publisher.sessions.values()) {
                s.connected().get(CONNECT.toSeconds(), TimeUnit.SECONDS);
            }
            for (RoomSide viewer : new RoomSide[] {early, late}) {
                await().atMost(CONNECT).until(() -> viewer.sessions.containsKey(publisher.selfId()));
                PeerSession s = viewer.sessions.get(publisher.selfId());
                s.connected().get(CONNECT.toSeconds(), TimeUnit.SECONDS);
                assertThat(s.remoteDataChannel("chat").get(CONNECT.toSeconds(), TimeUnit.SECONDS).label()).isEqualTo("chat");
                assertThat(viewer.unknownOffers).containsExactly(publisher.selfId());
            }
            assertThat(publisher.sessions).containsOnlyKeys(early.selfId(), late.selfId());
            assertThat(publisher.room.directory().routedPeers()).containsExactlyInAnyOrder(early.selfId(), late.selfId());
            assertThat(publisher.listenerThreads).allMatch(t -> t.startsWith("signaling-client-"));
            assertThat(early.listenerThreads).allMatch(t -> t.startsWith("signaling-client-"));
        }
    }

    @Test
    void aPeerLeavingClosesItsSessionAndStopsRoutingIt() throws Exception {
        try (RoomSide publisher = RoomSide.offering("pub", server, "leave", "publisher", "viewer");
             RoomSide viewer = RoomSide.answering("viewer", server, "leave", "viewer")) {
            String viewerId = viewer.selfId();
            await().atMost(CONNECT).until(() -> publisher.sessions.containsKey(viewerId));
            PeerSession toViewer = publisher.sessions.get(viewerId);
            toViewer.connected().get(CONNECT.toSeconds(), TimeUnit.SECONDS);

            viewer.room.close();

            toViewer.closedFuture().get(CONNECT.toSeconds(), TimeUnit.SECONDS);
            assertThat(toViewer.state()).isEqualTo(ConnectionState.CLOSED);
            assertThat(publisher.left).containsExactly(viewerId);
            assertThat(publisher.room.directory().routes(viewerId)).isFalse();
        }
    }

    @Test
    void aClosedSessionSaysByeAndThePeerMayBeOfferedANewOne() throws Exception {
        try (RoomSide publisher = RoomSide.offering("pub", server, "bye", "publisher", "viewer");
             RoomSide viewer = RoomSide.answering("viewer", server, "bye", "viewer")) {
            String viewerId = viewer.selfId();
            String publisherId = publisher.selfId();
            await().atMost(CONNECT).until(() -> viewer.sessions.containsKey(publisherId));
            PeerSession first = viewer.sessions.get(publisherId);
            first.connected().get(CONNECT.toSeconds(), TimeUnit.SECONDS);

            publisher.sessions.get(viewerId).close();

            first.closedFuture().get(CONNECT.toSeconds(), TimeUnit.SECONDS);
            assertThat(publisher.room.directory().routes(viewerId)).isFalse();
            await().atMost(CONNECT).until(() -> !viewer.room.directory().routes(publisherId));

            PeerSession again = publisher.offer(publisher.room.directory(), viewerId);
            again.connected().get(CONNECT.toSeconds(), TimeUnit.SECONDS);
            await().atMost(CONNECT).until(() -> viewer.allSessions.size() == 2);
            viewer.allSessions.get(1).connected().get(CONNECT.toSeconds(), TimeUnit.SECONDS);
            assertThat(viewer.unknownOffers).containsExactly(publisherId, publisherId);
        }
    }

    @Test
    void afterTheServerRestartsBothSidesJoinAgainAndConnectNewSessions() throws Exception {
        int port = server.port();
        try (RoomSide publisher = RoomSide.offering("pub", server, "restart", "publisher", "viewer");
             RoomSide viewer = RoomSide.answering("viewer", server, "restart", "viewer")) {
            String oldViewerId = viewer.selfId();
            await().atMost(CONNECT).until(() -> publisher.sessions.containsKey(oldViewerId));
            PeerSession before = publisher.sessions.get(oldViewerId);
            before.connected().get(CONNECT.toSeconds(), TimeUnit.SECONDS);

            server.close();
            server = SignalingServer.builder().servePages(false).port(port).build().start();

            before.closedFuture().get(CONNECT.toSeconds(), TimeUnit.SECONDS);
            await().atMost(CONNECT).until(() -> viewer.selfId() != null && !viewer.selfId().equals(oldViewerId)
                    && publisher.sessions.containsKey(viewer.selfId()));
            PeerSession after = publisher.sessions.get(viewer.selfId());
            after.connected().get(CONNECT.toSeconds(), TimeUnit.SECONDS);
            assertThat(publisher.left).contains(oldViewerId);
            assertThat(publisher.room.directory().routes(oldViewerId)).isFalse();
            assertThat(publisher.room.directory().routedPeers()).containsExactly(viewer.selfId());
        }
    }

    @Test
    void aRefusedJoinSaysWhichRoomRoleAndServerAndWhy() {
        TokenIssuer issuer = TokenIssuer.withSecret("a-test-secret-of-at-least-32-bytes-long");
        try (SignalingServer guarded = SignalingServer.builder().servePages(false).requireTokens(issuer).build().start()) {
            RoomConnection room = RoomConnection.open(
                    SignalingClient.builder(guarded.webSocketUri()).room("private").role("viewer"), new RoomListener() { });
            assertThatThrownBy(room::join)
                    .isInstanceOf(SignalingBridgeException.class)
                    .hasMessageContaining("room 'private' as viewer on " + guarded.webSocketUri())
                    .hasMessageContaining("token-required");
            assertThat(room.client().isJoined()).isFalse();
            room.close();
        }
    }

    @Test
    void aSignallerServesOneSession() {
        RoomConnection room = RoomConnection.open(
                SignalingClient.builder(server.webSocketUri()).room("one").role("publisher"), new RoomListener() { });
        try (room) {
            PeerSignaller s = room.directory().signallerFor("peer-1");
            assertThat(room.directory().signallerFor("peer-1")).isSameAs(s);
            s.bind(new NoListener());
            assertThatThrownBy(() -> s.bind(new NoListener()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("peer-1").hasMessageContaining("room 'one'").hasMessageContaining("forget");
            room.directory().forget("peer-1");
            assertThat(room.directory().signallerFor("peer-1")).isNotSameAs(s);
        }
    }

    private static final class NoListener implements Signaller.Listener {
        @Override
        public void onOffer(String sdp) {
        }

        @Override
        public void onAnswer(String sdp) {
        }

        @Override
        public void onCandidate(IceCandidate candidate) {
        }

        @Override
        public void onBye() {
        }
    }
}
