package dev.packetstream.signaling.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.packetstream.signaling.ErrorCode;
import dev.packetstream.signaling.SignalingLimits;
import java.util.List;

/**
 * Builds the messages the server sends (PROTOCOL.md). Relays are rebuilt from validated fields
 * only: nothing a client adds beyond the protocol reaches another peer.
 */
public final class ServerMessages {
    private final ObjectMapper json;

    public ServerMessages(ObjectMapper json) {
        this.json = json;
    }

    public String joined(Peer self, List<Peer> others, SignalingLimits limits, String mid) {
        ObjectNode message = type(ServerMessageType.JOINED.wire(), mid)
                .put("id", self.id())
                .put("room", self.room().name())
                .put("role", self.role());
        ArrayNode peers = message.putArray("peers");
        for (Peer other : others) {
            peers.add(peer(other));
        }
        message.putObject("limits")
                .put("maxMessageBytes", limits.maxMessageBytes())
                .put("maxMessagesPerSecond", limits.maxMessagesPerSecond())
                .put("maxPeersPerRoom", limits.maxPeersPerRoom())
                .put("idleTimeoutMs", limits.idleTimeout().toMillis());
        return message.toString();
    }

    public String peerJoined(Peer peer) {
        ObjectNode message = type(ServerMessageType.PEER_JOINED.wire(), null);
        message.set("peer", peer(peer));
        return message.toString();
    }

    public String peerLeft(Peer peer) {
        ObjectNode message = type(ServerMessageType.PEER_LEFT.wire(), null);
        message.set("peer", peer(peer));
        return message.toString();
    }

    public String left(String room, String mid) {
        return type(ServerMessageType.LEFT.wire(), mid).put("room", room).toString();
    }

    public String pong(String mid) {
        return type(ServerMessageType.PONG.wire(), mid).toString();
    }

    /** An offer or answer ({@code payload} is the SDP text), candidate, bye or event, from {@code from}. */
    public String relay(MessageType type, Peer from, JsonNode payload, String mid, boolean toRoom) {
        ObjectNode message = type(type.wire(), mid).put("from", from.id()).put("fromRole", from.role());
        switch (type) {
            case OFFER, ANSWER -> message.set("sdp", payload);
            case CANDIDATE -> message.set("candidate", payload);
            case BYE -> {
                // no payload: the sender hangs up its session with the recipient
            }
            case EVENT -> {
                message.put("scope", toRoom ? "room" : "peer");
                message.set("data", payload);
            }
            default -> throw new IllegalArgumentException(type + " is not relayed");
        }
        return message.toString();
    }

    public String error(ErrorCode code, String text, String ref, String mid) {
        ObjectNode message = type(ServerMessageType.ERROR.wire(), mid).put("code", code.wire()).put("message", text);
        if (ref != null) {
            message.put("ref", ref);
        }
        return message.toString();
    }

    private ObjectNode peer(Peer peer) {
        return json.createObjectNode().put("id", peer.id()).put("role", peer.role());
    }

    private ObjectNode type(String type, String mid) {
        ObjectNode message = json.createObjectNode().put("type", type);
        if (mid != null) {
            message.put("mid", mid);
        }
        return message;
    }
}
