package dev.packetstream.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real server on port 0 and real WebSocket connections: join, relay, leave, isolation, health. */
class SignalingServerRelayTest {
    private SignalingServer server;
    private WebSocketClient client;
    private URI ws;

    @BeforeEach
    void start() throws Exception {
        server = SignalingServer.builder().build().start();
        ws = server.webSocketUri();
        client = new WebSocketClient();
        client.start();
    }

    @AfterEach
    void stop() throws Exception {
        client.stop();
        server.close();
    }

    @Test
    void aJoiningPeerGetsItsIdAndThePeersAlreadyPresentAndTheyAreTold() throws Exception {
        try (RawPeer publisher = RawPeer.joined(client, ws, "r1", "publisher");
             RawPeer viewer = RawPeer.connect(client, ws)) {
            viewer.send("{\"type\":\"join\",\"room\":\"r1\",\"role\":\"viewer\",\"mid\":\"j1\"}");
            JsonNode joined = viewer.expect("joined");
            assertThat(joined.get("id").asText()).isNotEqualTo(publisher.id).matches("[A-Za-z0-9_-]{8,}");
            assertThat(joined.get("room").asText()).isEqualTo("r1");
            assertThat(joined.get("role").asText()).isEqualTo("viewer");
            assertThat(joined.get("mid").asText()).isEqualTo("j1");
            assertThat(joined.get("peers")).hasSize(1);
            assertThat(joined.get("peers").get(0).get("id").asText()).isEqualTo(publisher.id);
            assertThat(joined.get("peers").get(0).get("role").asText()).isEqualTo("publisher");
            assertThat(joined.get("limits").get("maxMessageBytes").asInt()).isEqualTo(64 * 1024);

            JsonNode notice = publisher.expect("peer-joined");
            assertThat(notice.get("peer").get("id").asText()).isEqualTo(joined.get("id").asText());
            assertThat(notice.get("peer").get("role").asText()).isEqualTo("viewer");
        }
    }

    @Test
    void offerAnswerCandidateAndByeReachTheAddressedPeerOnlyWithTheSendersId() throws Exception {
        try (RawPeer publisher = RawPeer.joined(client, ws, "r1", "publisher");
             RawPeer viewer = RawPeer.joined(client, ws, "r1", "viewer");
             RawPeer bystander = RawPeer.joined(client, ws, "r1", "viewer")) {
            publisher.expect("peer-joined");
            publisher.expect("peer-joined");
            viewer.expect("peer-joined");

            publisher.send("{\"type\":\"offer\",\"to\":\"" + viewer.id + "\",\"sdp\":\"v=0 offer\",\"mid\":7,\"extra\":\"dropped\"}");
            JsonNode offer = viewer.expect("offer");
            assertThat(offer.get("from").asText()).isEqualTo(publisher.id);
            assertThat(offer.get("fromRole").asText()).isEqualTo("publisher");
            assertThat(offer.get("sdp").asText()).isEqualTo("v=0 offer");
            assertThat(offer.get("mid").asText()).isEqualTo("7");
            assertThat(offer.has("extra")).as("fields outside the protocol are not relayed").isFalse();

            viewer.send("{\"type\":\"answer\",\"to\":\"" + publisher.id + "\",\"sdp\":\"v=0 answer\"}");
            assertThat(publisher.expect("answer").get("sdp").asText()).isEqualTo("v=0 answer");

            viewer.send("{\"type\":\"candidate\",\"to\":\"" + publisher.id + "\",\"candidate\":"
                    + "{\"candidate\":\"candidate:1 1 udp 2122260223 127.0.0.1 5000 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}");
            JsonNode candidate = publisher.expect("candidate");
            assertThat(candidate.get("from").asText()).isEqualTo(viewer.id);
            assertThat(candidate.get("candidate").get("candidate").asText()).startsWith("candidate:1 ");
            assertThat(candidate.get("candidate").get("sdpMid").asText()).isEqualTo("0");
            assertThat(candidate.get("candidate").get("sdpMLineIndex").asInt()).isZero();

            viewer.send("{\"type\":\"bye\",\"to\":\"" + publisher.id + "\"}");
            JsonNode bye = publisher.expect("bye");
            assertThat(bye.get("from").asText()).isEqualTo(viewer.id);
            assertThat(bye.get("fromRole").asText()).isEqualTo("viewer");

            assertThat(bystander.drainUntilPong()).as("the third peer got nothing addressed to others").isEmpty();
        }
    }

    @Test
    void anEventWithoutRecipientReachesEveryOtherPeerOfTheRoomAndAnAddressedOneOnlyItsPeer() throws Exception {
        try (RawPeer detector = RawPeer.joined(client, ws, "r1", "detector");
             RawPeer a = RawPeer.joined(client, ws, "r1", "viewer");
             RawPeer b = RawPeer.joined(client, ws, "r1", "viewer")) {
            a.expect("peer-joined");
            String boxes = "{\"boxes\":[{\"x\":10,\"y\":20,\"w\":30,\"h\":40}]}";
            detector.send("{\"type\":\"event\",\"data\":" + boxes + "}");
            for (RawPeer viewer : List.of(a, b)) {
                JsonNode event = viewer.expect("event");
                assertThat(event.get("scope").asText()).isEqualTo("room");
                assertThat(event.get("from").asText()).isEqualTo(detector.id);
                assertThat(event.get("data").get("boxes").get(0).get("w").asInt()).isEqualTo(30);
            }
            detector.send("{\"type\":\"event\",\"to\":\"" + b.id + "\",\"data\":{\"only\":\"b\"}}");
            JsonNode addressed = b.expect("event");
            assertThat(addressed.get("scope").asText()).isEqualTo("peer");
            assertThat(addressed.get("data").get("only").asText()).isEqualTo("b");
            assertThat(a.drainUntilPong()).isEmpty();
            assertThat(detector.drainUntilPong()).as("the sender does not get its own room event").hasSize(2)
                    .allMatch(m -> m.get("type").asText().equals("peer-joined"));
        }
    }

    @Test
    void aPeerThatDisconnectsIsAnnouncedAsLeftToTheOthers() throws Exception {
        try (RawPeer publisher = RawPeer.joined(client, ws, "r1", "publisher")) {
            RawPeer viewer = RawPeer.joined(client, ws, "r1", "viewer");
            publisher.expect("peer-joined");
            viewer.close();
            JsonNode left = publisher.expect("peer-left");
            assertThat(left.get("peer").get("id").asText()).isEqualTo(viewer.id);
            assertThat(left.get("peer").get("role").asText()).isEqualTo("viewer");
        }
    }

    @Test
    void aPeerThatLeavesIsAnnouncedGetsNothingMoreAndMayJoinAnotherRoom() throws Exception {
        try (RawPeer publisher = RawPeer.joined(client, ws, "r1", "publisher");
             RawPeer viewer = RawPeer.joined(client, ws, "r1", "viewer")) {
            publisher.expect("peer-joined");
            String oldId = viewer.id;
            viewer.send("{\"type\":\"leave\",\"mid\":\"bye\"}");
            JsonNode left = viewer.expect("left");
            assertThat(left.get("room").asText()).isEqualTo("r1");
            assertThat(publisher.expect("peer-left").get("peer").get("id").asText()).isEqualTo(oldId);

            publisher.send("{\"type\":\"offer\",\"to\":\"" + oldId + "\",\"sdp\":\"v=0\"}");
            publisher.expectError("unknown-peer");

            viewer.send("{\"type\":\"join\",\"room\":\"r2\",\"role\":\"viewer\"}");
            assertThat(viewer.expect("joined").get("peers")).isEmpty();
            assertThat(server.figures().rooms()).isEqualTo(2);
        }
    }

    @Test
    void aPeerCannotReachAPeerOfAnotherRoomEvenByGuessingItsId() throws Exception {
        try (RawPeer victim = RawPeer.joined(client, ws, "room-a", "viewer");
             RawPeer attacker = RawPeer.joined(client, ws, "room-b", "publisher")) {
            for (String type : List.of("offer", "answer")) {
                attacker.send("{\"type\":\"" + type + "\",\"to\":\"" + victim.id + "\",\"sdp\":\"v=0\"}");
                JsonNode error = attacker.expectError("unknown-peer");
                assertThat(error.get("ref").asText()).isEqualTo(type);
                assertThat(error.get("message").asText()).contains("room-b");
            }
            attacker.send("{\"type\":\"candidate\",\"to\":\"" + victim.id + "\",\"candidate\":{\"candidate\":\"\"}}");
            attacker.expectError("unknown-peer");
            attacker.send("{\"type\":\"event\",\"to\":\"" + victim.id + "\",\"data\":{\"x\":1}}");
            attacker.expectError("unknown-peer");
            attacker.send("{\"type\":\"event\",\"data\":{\"to\":\"the whole room\"}}");

            assertThat(victim.drainUntilPong()).as("nothing from room-b reached room-a").isEmpty();
            assertThat(server.figures().rejected(ErrorCode.UNKNOWN_PEER)).isEqualTo(4);
        }
    }

    @Test
    void pingIsAnsweredBeforeAndAfterJoining() throws Exception {
        try (RawPeer peer = RawPeer.connect(client, ws)) {
            peer.send("{\"type\":\"ping\",\"mid\":\"a\"}");
            assertThat(peer.expect("pong").get("mid").asText()).isEqualTo("a");
            peer.send("{\"type\":\"join\",\"room\":\"r\",\"role\":\"viewer\"}");
            peer.expect("joined");
            peer.send("{\"type\":\"ping\"}");
            assertThat(peer.expect("pong").has("mid")).isFalse();
        }
    }

    @Test
    void theHealthEndpointReportsRoomsPeersRelayedAndRejectedByReason() throws Exception {
        try (RawPeer a = RawPeer.joined(client, ws, "r1", "publisher");
             RawPeer b = RawPeer.joined(client, ws, "r1", "viewer");
             RawPeer c = RawPeer.joined(client, ws, "r2", "viewer")) {
            a.expect("peer-joined");
            a.send("{\"type\":\"offer\",\"to\":\"" + b.id + "\",\"sdp\":\"v=0\"}");
            b.expect("offer");
            c.send("not json");
            c.expectError("bad-json");

            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(server.httpUri().resolve("/health")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
            JsonNode health = new ObjectMapper().readTree(response.body());
            assertThat(health.get("status").asText()).isEqualTo("ok");
            assertThat(health.get("rooms").asInt()).isEqualTo(2);
            assertThat(health.get("peers").asInt()).isEqualTo(3);
            assertThat(health.get("connections").asInt()).isEqualTo(3);
            assertThat(health.get("messagesRelayed").asLong()).isEqualTo(1);
            assertThat(health.get("messagesReceived").asLong()).isEqualTo(5);
            assertThat(health.get("rejected").get("bad-json").asLong()).isEqualTo(1);
            assertThat(health.get("rejected").get("unknown-peer").asLong()).isZero();
            assertThat(health.get("heapUsedBytes").asLong()).isPositive();
        }
    }

    @Test
    void thePagesAndTheirScriptAreServedFromTheClasspath() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String page : List.of("/", "/publisher.html", "/viewer.html", "/recorder.html", "/packetstream-signaling.js")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(server.httpUri().resolve(page)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(page).isEqualTo(200);
            assertThat(response.body()).as(page).isNotBlank();
        }
        assertThat(http.send(HttpRequest.newBuilder(server.httpUri().resolve("/packetstream-signaling.js")).build(),
                HttpResponse.BodyHandlers.ofString()).headers().firstValue("content-type"))
                .hasValueSatisfying(v -> assertThat(v).contains("javascript"));
        assertThat(http.send(HttpRequest.newBuilder(server.httpUri().resolve("/nope.html")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    }
}
