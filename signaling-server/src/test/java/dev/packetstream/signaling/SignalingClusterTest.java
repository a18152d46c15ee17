package dev.packetstream.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packetstream.signaling.testing.LocalRedis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two and three real servers on one real Redis: rooms span servers, limits hold across them,
 * isolation holds, a dead server's peers are reported left, and a Redis restart is survived.
 */
class SignalingClusterTest {
    private static final Duration PRESENCE = Duration.ofMillis(1500);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalRedis redis;
    private final List<SignalingServer> servers = new ArrayList<>();
    private WebSocketClient client;

    @BeforeAll
    static void redis() {
        redis = LocalRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void start() throws Exception {
        redis.command("FLUSHALL");
        client = new WebSocketClient();
        client.start();
    }

    @AfterEach
    void stop() throws Exception {
        client.stop();
        for (SignalingServer server : servers) {
            server.close();
        }
    }

    private SignalingServer node(SignalingServer.Builder builder) {
        return node(builder, PRESENCE);
    }

    private SignalingServer node(SignalingServer.Builder builder, Duration presence) {
        SignalingServer server = builder.redis(redis.uri()).redisPresence(presence).build().start();
        servers.add(server);
        return server;
    }

    private SignalingServer node() {
        return node(SignalingServer.builder());
    }

    static HttpResponse<String> health(SignalingServer server) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.httpUri().resolve("/health")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void peersOfOneRoomOnTwoServersExchangeOfferAnswerCandidatesAndEventsInOrder() throws Exception {
        SignalingServer a = node();
        SignalingServer b = node();
        try (RawPeer publisher = RawPeer.joined(client, a.webSocketUri(), "r", "publisher");
             RawPeer viewer = RawPeer.connect(client, b.webSocketUri())) {
            viewer.send("{\"type\":\"join\",\"room\":\"r\",\"role\":\"viewer\"}");
            JsonNode joined = viewer.expect("joined");
            viewer.id = joined.get("id").asText();
            assertThat(joined.get("peers")).hasSize(1);
            assertThat(joined.get("peers").get(0).get("id").asText()).isEqualTo(publisher.id);
            assertThat(publisher.expect("peer-joined").get("peer").get("id").asText()).isEqualTo(viewer.id);

            publisher.send("{\"type\":\"offer\",\"to\":\"" + viewer.id + "\",\"sdp\":\"v=0 offer\",\"mid\":\"o1\"}");
            for (int i = 0; i < 20; i++) {
                publisher.send("{\"type\":\"candidate\",\"to\":\"" + viewer.id + "\",\"candidate\":{\"candidate\":\"candidate:"
                        + i + " 1 udp 1 127.0.0.1 " + (50000 + i) + " typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}");
            }
            publisher.send("{\"type\":\"event\",\"data\":{\"boxes\":[{\"x\":1,\"y\":2,\"w\":3,\"h\":4}]}}");
            publisher.send("{\"type\":\"event\",\"to\":\"" + viewer.id + "\",\"data\":{\"recording\":\"start\"}}");
            JsonNode offer = viewer.expect("offer");
            assertThat(offer.get("from").asText()).isEqualTo(publisher.id);
            assertThat(offer.get("fromRole").asText()).isEqualTo("publisher");
            assertThat(offer.get("sdp").asText()).isEqualTo("v=0 offer");
            assertThat(offer.get("mid").asText()).isEqualTo("o1");
            for (int i = 0; i < 20; i++) {
                assertThat(viewer.expect("candidate").get("candidate").get("candidate").asText())
                        .startsWith("candidate:" + i + " ");
            }
            JsonNode roomEvent = viewer.expect("event");
            assertThat(roomEvent.get("scope").asText()).isEqualTo("room");
            assertThat(roomEvent.get("data").get("boxes").get(0).get("w").asInt()).isEqualTo(3);
            assertThat(viewer.expect("event").get("scope").asText()).isEqualTo("peer");

            viewer.send("{\"type\":\"answer\",\"to\":\"" + publisher.id + "\",\"sdp\":\"v=0 answer\"}");
            viewer.send("{\"type\":\"bye\",\"to\":\"" + publisher.id + "\"}");
            assertThat(publisher.expect("answer").get("sdp").asText()).isEqualTo("v=0 answer");
            assertThat(publisher.expect("bye").get("from").asText()).isEqualTo(viewer.id);

            viewer.close();
            assertThat(publisher.expect("peer-left").get("peer").get("id").asText()).isEqualTo(viewer.id);
            publisher.send("{\"type\":\"offer\",\"to\":\"" + viewer.id + "\",\"sdp\":\"v=0\"}");
            publisher.expectError("unknown-peer");
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> // counted once written
                assertThat(a.figures().messagesRelayed() + b.figures().messagesRelayed()).isEqualTo(25));
        assertThat(health(a).body()).contains("\"redis\":\"connected\"").contains("\"status\":\"ok\"");
    }

    @Test
    void membersOnThreeServersSeeArrivalsAndDeparturesInTheSameOrder() throws Exception {
        List<SignalingServer> nodes = List.of(node(), node(), node());
        List<RawPeer> peers = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                peers.add(RawPeer.joined(client, nodes.get(i % 3).webSocketUri(), "trio", "viewer"));
            }
            peers.get(1).close();
            peers.get(4).close();
            RawPeer first = peers.get(0);
            List<String> seenByFirst = notices(first);
            // Joins came one after the other; the two leaves were sent at once (either may be first).
            assertThat(seenByFirst.subList(0, 5)).containsExactly("peer-joined " + peers.get(1).id,
                    "peer-joined " + peers.get(2).id, "peer-joined " + peers.get(3).id, "peer-joined " + peers.get(4).id,
                    "peer-joined " + peers.get(5).id);
            assertThat(seenByFirst.subList(5, seenByFirst.size()))
                    .containsExactlyInAnyOrder("peer-left " + peers.get(1).id, "peer-left " + peers.get(4).id);
            // Every later member sees the same sequence from its own arrival on.
            for (int i : new int[] {2, 3, 5}) {
                List<String> seen = notices(peers.get(i));
                assertThat(seenByFirst).endsWith(seen.toArray(String[]::new));
            }
            // A room event from one server reaches the members of the two others, once each.
            peers.get(5).send("{\"type\":\"event\",\"data\":{\"n\":1}}");
            for (int i : new int[] {0, 2, 3}) {
                assertThat(peers.get(i).expect("event").get("from").asText()).isEqualTo(peers.get(5).id);
                assertThat(peers.get(i).drainUntilPong()).isEmpty();
            }
        } finally {
            peers.forEach(RawPeer::close);
        }
    }

    private static List<String> notices(RawPeer peer) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
            for (JsonNode m : peer.drainUntilPong()) {
                seen.add(m.get("type").asText() + " " + m.path("peer").path("id").asText());
            }
            return seen.stream().filter(s -> s.startsWith("peer-left")).count() >= 2;
        });
        return seen;
    }

    @Test
    void aPeerCannotReachAPeerOfAnotherRoomOnAnotherServer() throws Exception {
        SignalingServer a = node();
        SignalingServer b = node();
        try (RawPeer x1 = RawPeer.joined(client, a.webSocketUri(), "x", "publisher");
             RawPeer x2 = RawPeer.joined(client, b.webSocketUri(), "x", "viewer");
             RawPeer y1 = RawPeer.joined(client, b.webSocketUri(), "y", "viewer")) {
            x1.expect("peer-joined");
            x1.send("{\"type\":\"offer\",\"to\":\"" + y1.id + "\",\"sdp\":\"v=0\"}");
            assertThat(x1.expectError("unknown-peer").get("message").asText()).contains("room \"x\"");
            x1.send("{\"type\":\"event\",\"data\":{\"only\":\"x\"}}");
            assertThat(x2.expect("event").get("data").get("only").asText()).isEqualTo("x");
            assertThat(y1.drainUntilPong()).as("nothing of room x reached room y").isEmpty();
        }
    }

    @Test
    void theRoomSizeAndRoomCountLimitsHoldForAllServersTogether() throws Exception {
        SignalingLimits limits = SignalingLimits.defaults().withMaxPeersPerRoom(4).withMaxRooms(2);
        SignalingServer a = node(SignalingServer.builder().limits(limits));
        SignalingServer b = node(SignalingServer.builder().limits(limits));
        List<RawPeer> peers = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                peers.add(RawPeer.joined(client, (i % 2 == 0 ? a : b).webSocketUri(), "four", "viewer"));
            }
            for (SignalingServer server : List.of(a, b)) {
                RawPeer fifth = RawPeer.connect(client, server.webSocketUri());
                peers.add(fifth);
                fifth.send("{\"type\":\"join\",\"room\":\"four\",\"role\":\"viewer\"}");
                assertThat(fifth.expectError("room-full").get("message").asText()).contains("4 peers");
            }
            peers.add(RawPeer.joined(client, a.webSocketUri(), "second", "viewer"));
            RawPeer third = RawPeer.connect(client, b.webSocketUri());
            peers.add(third);
            third.send("{\"type\":\"join\",\"room\":\"third\",\"role\":\"viewer\"}");
            third.expectError("server-full");
            peers.get(1).close(); // a place frees up in "four", on server b
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> b.figures().peers() == 1);
            RawPeer again = RawPeer.connect(client, a.webSocketUri());
            peers.add(again);
            again.send("{\"type\":\"join\",\"room\":\"four\",\"role\":\"viewer\"}");
            assertThat(again.expect("joined").get("peers")).hasSize(3);
        } finally {
            peers.forEach(RawPeer::close);
        }
        assertThat(a.figures().rejected(ErrorCode.ROOM_FULL) + b.figures().rejected(ErrorCode.ROOM_FULL)).isEqualTo(2);
    }

    @Test
    void anAddressesRoomsAreCountedOnEveryServer() throws Exception {
        SignalingLimits limits = SignalingLimits.defaults().withMaxRoomsPerAddress(2);
        SignalingServer a = node(SignalingServer.builder().limits(limits));
        SignalingServer b = node(SignalingServer.builder().limits(limits));
        try (RawPeer one = RawPeer.joined(client, a.webSocketUri(), "one", "viewer");
             RawPeer two = RawPeer.joined(client, b.webSocketUri(), "two", "viewer");
             RawPeer sameRoom = RawPeer.joined(client, b.webSocketUri(), "one", "viewer");
             RawPeer third = RawPeer.connect(client, a.webSocketUri())) {
            third.send("{\"type\":\"join\",\"room\":\"three\",\"role\":\"viewer\"}");
            assertThat(third.expectError("too-many-rooms").get("message").asText())
                    .contains("127.0.0.1").contains("2 rooms on these servers");
            two.close(); // its address now has peers in one room only
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> b.figures().peers() == 1);
            third.send("{\"type\":\"join\",\"room\":\"three\",\"role\":\"viewer\"}");
            assertThat(third.expect("joined").get("room").asText()).isEqualTo("three");
            assertThat(sameRoom.id).isNotBlank();
        }
    }

    @Test
    void tokensAreCheckedAlikeOnEveryServer() throws Exception {
        TokenIssuer issuer = TokenIssuer.withSecret("a-cluster-test-secret-of-32-bytes-or-more");
        SignalingServer a = node(SignalingServer.builder().requireTokens(issuer));
        SignalingServer b = node(SignalingServer.builder().requireTokens(issuer));
        String token = issuer.issue("t", "viewer", Duration.ofMinutes(1));
        try (RawPeer onA = RawPeer.connect(client, a.webSocketUri());
             RawPeer onB = RawPeer.connect(client, b.webSocketUri())) {
            onB.send("{\"type\":\"join\",\"room\":\"t\",\"role\":\"viewer\"}");
            onB.expectError("token-required");
            onB.send("{\"type\":\"join\",\"room\":\"other\",\"role\":\"viewer\",\"token\":\"" + token + "\"}");
            onB.expectError("token-mismatch");
            onB.send("{\"type\":\"join\",\"room\":\"t\",\"role\":\"viewer\",\"token\":\""
                    + TokenIssuer.withSecret("another-secret-another-secret-another!").issue("t", "viewer",
                    Duration.ofMinutes(1)) + "\"}");
            onB.expectError("token-invalid");
            onA.send("{\"type\":\"join\",\"room\":\"t\",\"role\":\"viewer\",\"token\":\"" + token + "\"}");
            onA.expect("joined");
            onB.send("{\"type\":\"join\",\"room\":\"t\",\"role\":\"viewer\",\"token\":\"" + token + "\"}");
            assertThat(onB.expect("joined").get("peers")).hasSize(1);
        }
    }

    @Test
    void aKilledServersPeersAreReportedLeftOnTheOthersAndOtherRoomsGoOn() throws Exception {
        SignalingServer a = node();
        try (ChildServer doomed = ChildServer.start(List.of("-Xmx128m"), "--redis", redis.uri().toString(),
                "--redis-presence-ms", Long.toString(PRESENCE.toMillis()));
             RawPeer stay = RawPeer.joined(client, a.webSocketUri(), "k", "publisher");
             RawPeer other = RawPeer.joined(client, a.webSocketUri(), "unrelated", "viewer");
             RawPeer otherB = RawPeer.joined(client, doomed.webSocketUri(), "unrelated", "viewer");
             RawPeer victim = RawPeer.joined(client, doomed.webSocketUri(), "k", "viewer")) {
            assertThat(stay.expect("peer-joined").get("peer").get("id").asText()).isEqualTo(victim.id);
            other.expect("peer-joined");
            long killed = System.nanoTime();
            doomed.kill();
            JsonNode left = stay.expect("peer-left"); // RawPeer waits 5 s at most
            Duration after = Duration.ofNanos(System.nanoTime() - killed);
            assertThat(left.get("peer").get("id").asText()).isEqualTo(victim.id);
            assertThat(after).as("reported within presence + a renewal period + slack")
                    .isLessThan(PRESENCE.plus(PRESENCE.dividedBy(3)).plusSeconds(2));
            assertThat(other.expect("peer-left").get("peer").get("id").asText()).isEqualTo(otherB.id);
            // The surviving server still serves its rooms, and new arrivals.
            try (RawPeer late = RawPeer.joined(client, a.webSocketUri(), "k", "viewer")) {
                assertThat(stay.expect("peer-joined").get("peer").get("id").asText()).isEqualTo(late.id);
                stay.send("{\"type\":\"offer\",\"to\":\"" + late.id + "\",\"sdp\":\"v=0 after\"}");
                assertThat(late.expect("offer").get("sdp").asText()).isEqualTo("v=0 after");
            }
        }
    }

    @Test
    void whileRedisIsLostLocalPeersAreServedAndAfterItRestartsEmptyTheRelayResumes() throws Exception {
        // Each server waits one presence period for the other to put its peers back: 5 s, so that a
        // slow machine does not make b's peer look gone to a.
        SignalingServer a = node(SignalingServer.builder(), Duration.ofSeconds(5));
        SignalingServer b = node(SignalingServer.builder(), Duration.ofSeconds(5));
        try (RawPeer pub = RawPeer.joined(client, a.webSocketUri(), "rr", "publisher");
             RawPeer localViewer = RawPeer.joined(client, a.webSocketUri(), "rr", "viewer");
             RawPeer remoteViewer = RawPeer.joined(client, b.webSocketUri(), "rr", "viewer")) {
            pub.expect("peer-joined");
            pub.expect("peer-joined");
            localViewer.expect("peer-joined");

            redis.stop();
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                HttpResponse<String> health = health(a);
                assertThat(health.statusCode()).isEqualTo(503);
                JsonNode body = JSON.readTree(health.body());
                assertThat(body.get("status").asText()).isEqualTo("degraded");
                assertThat(body.get("redis").asText()).isEqualTo("disconnected");
            });
            pub.send("{\"type\":\"offer\",\"to\":\"" + localViewer.id + "\",\"sdp\":\"v=0 local\"}");
            assertThat(localViewer.expect("offer").get("sdp").asText()).isEqualTo("v=0 local");
            pub.send("{\"type\":\"offer\",\"to\":\"" + remoteViewer.id + "\",\"sdp\":\"v=0 lost\"}");
            assertThat(pub.expectError("cluster-unavailable").get("message").asText()).contains("Redis");
            try (RawPeer newcomer = RawPeer.connect(client, a.webSocketUri())) {
                newcomer.send("{\"type\":\"join\",\"room\":\"rr\",\"role\":\"viewer\"}");
                newcomer.expectError("cluster-unavailable");
            }

            redis.restart(); // empty: the servers put their peers back
            Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(health(a).statusCode()).isEqualTo(200);
                assertThat(health(b).statusCode()).isEqualTo(200);
            });
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
                pub.send("{\"type\":\"offer\",\"to\":\"" + remoteViewer.id + "\",\"sdp\":\"v=0 back\"}");
                return remoteViewer.drainUntilPong().stream().anyMatch(m -> m.path("sdp").asText().equals("v=0 back"));
            });
            remoteViewer.send("{\"type\":\"answer\",\"to\":\"" + pub.id + "\",\"sdp\":\"v=0 answer\"}");
            List<JsonNode> atPublisher = new ArrayList<>();
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
                atPublisher.addAll(pub.drainUntilPong());
                return atPublisher.stream().anyMatch(m -> m.path("type").asText().equals("answer"));
            });
            // Both servers came back within a presence period: nobody was reported as left.
            assertThat(atPublisher).noneMatch(m -> m.path("type").asText().equals("peer-left"));
            try (RawPeer newcomer = RawPeer.joined(client, b.webSocketUri(), "rr", "viewer")) {
                List<JsonNode> atLocalViewer = new ArrayList<>();
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
                    atLocalViewer.addAll(localViewer.drainUntilPong());
                    return atLocalViewer.stream().anyMatch(m -> m.path("type").asText().equals("peer-joined")
                            && m.get("peer").get("id").asText().equals(newcomer.id));
                });
            }
        }
    }

    @Test
    void aServerWhoseRedisCannotBeReachedFailsToStartNamingTheAddress() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        URI nowhere = URI.create("redis://127.0.0.1:" + closedPort);
        SignalingServer server = SignalingServer.builder().redis(nowhere).build();
        assertThatThrownBy(server::start).isInstanceOf(SignalingServerException.class)
                .hasMessageContaining("Redis at " + nowhere + " cannot be reached")
                .hasMessageContaining("--redis");
        assertThatThrownBy(() -> SignalingServer.builder().redis(URI.create("http://127.0.0.1:6379")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("redis://host:port");
        assertThatThrownBy(() -> SignalingServerMain.parse(new String[] {"--redis", "127.0.0.1:6379"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("redis://host:port");
        assertThatThrownBy(() -> SignalingServerMain.parse(new String[] {"--redis", nowhere.toString()}).build().start())
                .isInstanceOf(SignalingServerException.class).hasMessageContaining("cannot be reached");
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("signaling-server-redis"));
    }

    @Test
    void aServerClosedInOrderReportsItsPeersLeftAtOnceAndStopsItsThreads() throws Exception {
        SignalingServer a = node();
        SignalingServer b = SignalingServer.builder().redis(redis.uri()).redisPresence(Duration.ofMinutes(1)).build()
                .start(); // a presence this long: only an orderly close can report its peers in time
        try (RawPeer stay = RawPeer.joined(client, a.webSocketUri(), "bye", "publisher");
             RawPeer leaving = RawPeer.joined(client, b.webSocketUri(), "bye", "viewer")) {
            stay.expect("peer-joined");
            b.close();
            assertThat(stay.expect("peer-left").get("peer").get("id").asText()).isEqualTo(leaving.id);
            assertThat(redis.command("SCARD", "ps:nodes")).as("only server a is registered").isEqualTo(":1");
        }
        a.close();
        servers.remove(a);
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().startsWith("signaling-server-redis")));
        assertThat(redis.command("SCARD", "ps:nodes")).isEqualTo(":0");
    }

    @Test
    void aServerWithoutRedisReportsNoRedisOnHealth() throws Exception {
        try (SignalingServer alone = SignalingServer.builder().build().start()) {
            assertThat(alone.figures().redis()).isNull();
            assertThat(health(alone).body()).doesNotContain("redis").contains("\"status\":\"ok\"");
        }
    }
}
