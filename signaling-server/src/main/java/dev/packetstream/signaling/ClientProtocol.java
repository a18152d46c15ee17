package dev.packetstream.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.packetstream.core.peer.IceCandidate;
import dev.packetstream.signaling.internal.MessageType;
import dev.packetstream.signaling.internal.ServerMessageType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's side of the protocol (PROTOCOL.md): builds what a client sends, with a message id
 * each, and reads what the server sends into {@link SignalingListener} calls. The message types
 * are the server's own ({@link MessageType}, {@link ServerMessageType}).
 *
 * <h2>Threads</h2>
 * Building is thread safe. {@link #read} runs on the client's event thread.
 */
final class ClientProtocol {
    private static final Logger LOG = LoggerFactory.getLogger(ClientProtocol.class);

    /** What reading a message needs from the connection besides the listener. */
    interface Connection {
        /** The server accepted the join; {@code idleTimeoutMs} is its idle limit (0: none said). */
        void joined(Joined joined, long idleTimeoutMs);

        /** The server sent an error. */
        void error(SignalingError error);
    }

    private final ObjectMapper json = new ObjectMapper();
    private final AtomicLong mids = new AtomicLong();

    // ----- outgoing

    ObjectNode join(String room, String role, String token) {
        ObjectNode join = message(MessageType.JOIN).put("room", room).put("role", role);
        if (token != null) {
            join.put("token", token);
        }
        return join;
    }

    ObjectNode offer(String to, String sdp) {
        return message(MessageType.OFFER).put("to", to).put("sdp", sdp);
    }

    ObjectNode answer(String to, String sdp) {
        return message(MessageType.ANSWER).put("to", to).put("sdp", sdp);
    }

    ObjectNode candidate(String to, IceCandidate candidate) {
        ObjectNode message = message(MessageType.CANDIDATE).put("to", to);
        ObjectNode c = message.putObject("candidate").put("candidate", candidate.candidate());
        c.put("sdpMid", candidate.sdpMid());
        if (candidate.sdpMLineIndex() == null) {
            c.putNull("sdpMLineIndex");
        } else {
            c.put("sdpMLineIndex", candidate.sdpMLineIndex());
        }
        return message;
    }

    ObjectNode bye(String to) {
        return message(MessageType.BYE).put("to", to);
    }

    /** An event to one peer, or to the room when {@code to} is null. */
    ObjectNode event(String to, Object data) {
        ObjectNode message = message(MessageType.EVENT);
        if (to != null) {
            message.put("to", to);
        }
        message.set("data", toObject(data));
        return message;
    }

    ObjectNode leave() {
        return message(MessageType.LEAVE);
    }

    ObjectNode ping() {
        return message(MessageType.PING);
    }

    /** The type of a message built here. */
    static MessageType typeOf(ObjectNode message) {
        return MessageType.fromWire(message.path("type").asText());
    }

    private ObjectNode message(MessageType type) {
        return json.createObjectNode().put("type", type.wire()).put("mid", Long.toString(mids.incrementAndGet()));
    }

    private JsonNode toObject(Object data) {
        JsonNode node = json.valueToTree(Objects.requireNonNull(data, "data"));
        if (!node.isObject()) {
            throw new IllegalArgumentException("event data must map to a JSON object, not a JSON "
                    + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return node;
    }

    // ----- incoming

    /** Reads one server message into a listener call (or a call on {@code connection}). */
    void read(String text, SignalingListener listener, Connection connection) {
        JsonNode message;
        try {
            message = json.readTree(text);
        } catch (Exception e) {
            LOG.warn("ignoring a server message that is not JSON: {}", text);
            return;
        }
        String wire = message.path("type").asText();
        ServerMessageType own = ServerMessageType.fromWire(wire);
        if (own != null) {
            switch (own) {
                case JOINED -> connection.joined(joined(message), message.path("limits").path("idleTimeoutMs").asLong(0));
                case PEER_JOINED -> listener.onPeerJoined(peer(message.path("peer")));
                case PEER_LEFT -> listener.onPeerLeft(peer(message.path("peer")));
                case ERROR -> connection.error(error(message));
                case PONG, LEFT -> {
                    // nothing to do: pings keep the connection alive
                }
            }
            return;
        }
        MessageType relayed = MessageType.fromWire(wire);
        if (relayed == null) {
            LOG.debug("ignoring a server message of unknown type {}", wire);
            return;
        }
        switch (relayed) {
            case OFFER -> listener.onOffer(from(message), message.path("sdp").asText());
            case ANSWER -> listener.onAnswer(from(message), message.path("sdp").asText());
            case CANDIDATE -> listener.onCandidate(from(message), candidate(message.path("candidate")));
            case BYE -> listener.onBye(from(message));
            case EVENT -> listener.onEvent(from(message), message.path("data"), "room".equals(message.path("scope").asText()));
            default -> LOG.debug("ignoring a server message of type {}: the server does not relay it", wire);
        }
    }

    private static Joined joined(JsonNode message) {
        List<PeerInfo> peers = new ArrayList<>();
        message.path("peers").forEach(p -> peers.add(peer(p)));
        return new Joined(message.path("id").asText(), message.path("room").asText(), message.path("role").asText(), peers);
    }

    private static SignalingError error(JsonNode message) {
        return new SignalingError(message.path("code").asText(), message.path("message").asText(),
                message.hasNonNull("ref") ? message.get("ref").asText() : null,
                message.hasNonNull("mid") ? message.get("mid").asText() : null);
    }

    private static IceCandidate candidate(JsonNode c) {
        return new IceCandidate(
                c.path("sdpMid").isTextual() ? c.path("sdpMid").asText() : null,
                c.path("sdpMLineIndex").canConvertToInt() ? c.path("sdpMLineIndex").asInt() : null,
                c.path("candidate").asText());
    }

    private static PeerInfo peer(JsonNode node) {
        return new PeerInfo(node.path("id").asText(), node.path("role").asText());
    }

    private static PeerInfo from(JsonNode message) {
        return new PeerInfo(message.path("from").asText(), message.path("fromRole").asText());
    }
}
