package dev.packetstream.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.packetstream.core.peer.IceCandidate;
import dev.packetstream.signaling.internal.MessageType;
import dev.packetstream.signaling.internal.ServerMessageType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The client's messages, without a network: what it builds passes the server's own validator,
 * and what the server relays reads back into the same values.
 */
class ClientProtocolTest {
    private final ClientProtocol protocol = new ClientProtocol();
    private final List<String> calls = new ArrayList<>();
    private final SignalingListener recorder = new SignalingListener() {
        @Override public void onCandidate(PeerInfo from, IceCandidate c) { calls.add("candidate " + from + " " + c); }
        @Override public void onEvent(PeerInfo from, com.fasterxml.jackson.databind.JsonNode data, boolean toRoom) {
            calls.add("event " + from.id() + " " + toRoom + " " + data);
        }
        @Override public void onPeerJoined(PeerInfo peer) { calls.add("peer-joined " + peer); }
    };
    private final ClientProtocol.Connection connection = new ClientProtocol.Connection() {
        @Override public void joined(Joined joined, long idleTimeoutMs) { calls.add("joined " + joined + " idle " + idleTimeoutMs); }
        @Override public void error(SignalingError error) { calls.add("error " + error); }
    };

    @Test
    void everyMessageCarriesItsTypesWireNameAndAMessageIdOfItsOwn() {
        List<ObjectNode> built = List.of(protocol.join("demo", "viewer", "t0ken"), protocol.offer("p1", "v=0\r\n"),
                protocol.answer("p1", "v=0\r\n"), protocol.candidate("p1", new IceCandidate("0", 0, "candidate:1 1 udp 1 127.0.0.1 5000 typ host")),
                protocol.bye("p1"), protocol.event("p1", Map.of("x", 1)), protocol.event(null, Map.of("x", 2)),
                protocol.leave(), protocol.ping());
        assertThat(built).extracting(ClientProtocol::typeOf).containsExactly(MessageType.JOIN, MessageType.OFFER,
                MessageType.ANSWER, MessageType.CANDIDATE, MessageType.BYE, MessageType.EVENT, MessageType.EVENT,
                MessageType.LEAVE, MessageType.PING);
        assertThat(built).extracting(m -> m.path("mid").asText()).doesNotHaveDuplicates().allMatch(mid -> !mid.isEmpty());
        assertThat(built.get(0).path("token").asText()).isEqualTo("t0ken");
        assertThat(built.get(5).path("to").asText()).isEqualTo("p1");
        assertThat(built.get(6).has("to")).as("an event to the room has no addressee").isFalse();
    }

    @Test
    void aRelayedCandidateReadsBackAsTheCandidateSentNullIndexIncluded() {
        for (IceCandidate sent : List.of(new IceCandidate("0", 0, "candidate:1 1 udp 1 127.0.0.1 5000 typ host"),
                new IceCandidate("audio", null, "candidate:2 1 udp 1 127.0.0.1 5002 typ host"))) {
            ObjectNode relayed = protocol.candidate("p1", sent);
            relayed.remove("to");
            relayed.put("from", "p2").put("fromRole", "publisher");
            calls.clear();
            protocol.read(relayed.toString(), recorder, connection);
            assertThat(calls).containsExactly("candidate " + new PeerInfo("p2", "publisher") + " " + sent);
        }
    }

    @Test
    void serverMessagesReachTheListenerOrTheConnectionAndUnknownOnesAreIgnored() {
        protocol.read("{\"type\":\"" + ServerMessageType.JOINED.wire() + "\",\"id\":\"me\",\"room\":\"r\",\"role\":\"viewer\","
                + "\"peers\":[{\"id\":\"p1\",\"role\":\"publisher\"}],\"limits\":{\"idleTimeoutMs\":60000}}", recorder, connection);
        protocol.read("{\"type\":\"peer-joined\",\"peer\":{\"id\":\"p3\",\"role\":\"viewer\"}}", recorder, connection);
        protocol.read("{\"type\":\"event\",\"from\":\"p1\",\"fromRole\":\"publisher\",\"scope\":\"room\",\"data\":{\"a\":1}}",
                recorder, connection);
        protocol.read("{\"type\":\"error\",\"code\":\"unknown-peer\",\"message\":\"no such peer\",\"ref\":\"offer\",\"mid\":\"7\"}",
                recorder, connection);
        protocol.read("{\"type\":\"something-new\"}", recorder, connection);
        protocol.read("not json", recorder, connection);
        protocol.read("{\"type\":\"join\"}", recorder, connection); // a client type the server never relays

        assertThat(calls).containsExactly(
                "joined " + new Joined("me", "r", "viewer", List.of(new PeerInfo("p1", "publisher"))) + " idle 60000",
                "peer-joined " + new PeerInfo("p3", "viewer"),
                "event p1 true {\"a\":1}",
                "error " + new SignalingError("unknown-peer", "no such peer", "offer", "7"));
    }

    @Test
    void eventDataThatIsNotAJsonObjectIsRefusedWithWhatItWas() {
        assertThatThrownBy(() -> protocol.event("p1", List.of(1, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JSON object").hasMessageContaining("array");
    }
}
