package dev.packetstream.signaling.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.packetstream.signaling.ErrorCode;
import dev.packetstream.signaling.ProtocolException;
import java.util.regex.Pattern;

/**
 * Parses and validates one client text message against the protocol (PROTOCOL.md). Stateless:
 * whether the message is allowed now (joined or not, rate, room) is decided by the connection.
 *
 * <h2>Threads</h2>
 * Immutable; safe from any thread.
 */
public final class MessageValidator {
    /** Room names: 1 to 64 of letters, digits, {@code . _ -}. */
    public static final Pattern ROOM = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** Roles: a lower-case letter, then up to 31 lower-case letters, digits, {@code _ -}. */
    public static final Pattern ROLE = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
    /** Peer ids as the server assigns them (a guess of another shape is refused early). */
    public static final Pattern PEER_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int MAX_MID_CHARS = 64;
    private static final int MAX_TOKEN_CHARS = 4096;

    private final ObjectMapper json;

    /**
     * A validator whose parser refuses text after the JSON object and keeps every number exactly
     * as its value (floating-point ones as {@link java.math.BigDecimal}: {@code 1e400} is not turned
     * into Infinity, nor {@code 1E2} into {@code 100.0}).
     */
    public MessageValidator() {
        this.json = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                .build();
    }

    /**
     * @return the validated message
     * @throws ProtocolException with the code and a message that says what to send instead
     */
    public InboundMessage parse(String text) throws ProtocolException {
        JsonNode root;
        try {
            root = json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ProtocolException(ErrorCode.BAD_JSON, "message is not valid JSON ("
                    + e.getOriginalMessage() + "): send one JSON object per text frame");
        }
        if (root == null || !root.isObject()) {
            throw new ProtocolException(ErrorCode.BAD_JSON,
                    "message must be a JSON object such as {\"type\":\"ping\"}, not "
                            + (root == null ? "empty text" : "a JSON " + describe(root.getNodeType())));
        }
        ObjectNode message = (ObjectNode) root;
        JsonNode typeNode = message.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            throw new ProtocolException(ErrorCode.BAD_FIELD,
                    "field \"type\" must be a string: one of join, leave, offer, answer, candidate, bye, event, ping");
        }
        MessageType type = MessageType.fromWire(typeNode.asText());
        if (type == null) {
            throw new ProtocolException(ErrorCode.UNKNOWN_TYPE, "unknown message type \"" + clip(typeNode.asText())
                    + "\": expected one of join, leave, offer, answer, candidate, bye, event, ping");
        }
        String mid = mid(message);
        switch (type) {
            case JOIN:
                text(message, "room", ROOM, "1-64 of letters, digits, '.', '_', '-'");
                text(message, "role", ROLE, "lower case, e.g. publisher, viewer, recorder");
                JsonNode token = message.get("token");
                if (token != null && !token.isNull()
                        && (!token.isTextual() || token.asText().length() > MAX_TOKEN_CHARS)) {
                    throw new ProtocolException(ErrorCode.BAD_FIELD,
                            "field \"token\" must be a string (as TokenIssuer issues) or absent");
                }
                return new InboundMessage(type, mid, null, message);
            case OFFER:
            case ANSWER: {
                String to = text(message, "to", PEER_ID, "a peer id from joined or peer-joined");
                JsonNode sdp = message.get("sdp");
                if (sdp == null || !sdp.isTextual() || sdp.asText().isEmpty()) {
                    throw new ProtocolException(ErrorCode.BAD_FIELD, "field \"sdp\" of " + type.wire()
                            + " must be a non-empty string (the session description's SDP text)");
                }
                return new InboundMessage(type, mid, to, sdp);
            }
            case CANDIDATE: {
                String to = text(message, "to", PEER_ID, "a peer id from joined or peer-joined");
                return new InboundMessage(type, mid, to, candidate(message.get("candidate")));
            }
            case BYE:
                return new InboundMessage(type, mid, text(message, "to", PEER_ID, "a peer id from joined or peer-joined"), null);
            case EVENT: {
                JsonNode toNode = message.get("to");
                String to = null;
                if (toNode != null && !toNode.isNull()) {
                    to = text(message, "to", PEER_ID, "a peer id, or absent to reach the whole room");
                }
                JsonNode data = message.get("data");
                if (data == null || !data.isObject()) {
                    throw new ProtocolException(ErrorCode.BAD_FIELD,
                            "field \"data\" of event must be a JSON object, e.g. {\"boxes\":[{\"x\":1,\"y\":2,\"w\":3,\"h\":4}]}");
                }
                return new InboundMessage(type, mid, to, data);
            }
            case LEAVE:
            case PING:
                return new InboundMessage(type, mid, null, null);
            default:
                throw new IllegalStateException("unhandled message type " + type);
        }
    }

    private ObjectNode candidate(JsonNode node) throws ProtocolException {
        String expected = "field \"candidate\" must be an object {\"candidate\":\"candidate:...\","
                + "\"sdpMid\":\"0\",\"sdpMLineIndex\":0} (candidate \"\" marks the end of candidates)";
        if (node == null || !node.isObject() || !node.path("candidate").isTextual()) {
            throw new ProtocolException(ErrorCode.BAD_FIELD, expected);
        }
        JsonNode mid = node.get("sdpMid");
        JsonNode index = node.get("sdpMLineIndex");
        if ((mid != null && !mid.isNull() && !mid.isTextual())
                || (index != null && !index.isNull() && !(index.canConvertToInt() && index.isIntegralNumber()
                && index.asInt() >= 0))) {
            throw new ProtocolException(ErrorCode.BAD_FIELD, expected
                    + "; sdpMid is a string or null, sdpMLineIndex a non-negative integer or null");
        }
        ObjectNode clean = json.createObjectNode();
        clean.put("candidate", node.get("candidate").asText());
        clean.set("sdpMid", mid == null ? clean.nullNode() : mid);
        clean.set("sdpMLineIndex", index == null ? clean.nullNode() : index);
        return clean;
    }

    private static String text(ObjectNode message, String field, Pattern pattern, String expected)
            throws ProtocolException {
        JsonNode node = message.get(field);
        if (node == null || node.isNull()) {
            throw new ProtocolException(ErrorCode.BAD_FIELD, "field \"" + field + "\" is missing from "
                    + message.get("type").asText() + ": expected " + expected);
        }
        if (!node.isTextual()) {
            throw new ProtocolException(ErrorCode.BAD_FIELD, "field \"" + field + "\" must be a string, not a JSON "
                    + describe(node.getNodeType()) + ": expected " + expected);
        }
        if (!pattern.matcher(node.asText()).matches()) {
            throw new ProtocolException(ErrorCode.BAD_FIELD, "field \"" + field + "\" has an invalid value \""
                    + clip(node.asText()) + "\": expected " + expected);
        }
        return node.asText();
    }

    private static String mid(ObjectNode message) throws ProtocolException {
        JsonNode mid = message.get("mid");
        if (mid == null || mid.isNull()) {
            return null;
        }
        if ((!mid.isTextual() && !mid.isIntegralNumber()) || mid.asText().length() > MAX_MID_CHARS) {
            throw new ProtocolException(ErrorCode.BAD_FIELD,
                    "field \"mid\" must be a string or an integer of at most " + MAX_MID_CHARS + " characters, or absent");
        }
        return mid.asText();
    }

    private static String describe(JsonNodeType type) {
        return type.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String clip(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
