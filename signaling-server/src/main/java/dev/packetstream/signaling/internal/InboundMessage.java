package dev.packetstream.signaling.internal;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A client message that passed validation.
 *
 * @param type    its type
 * @param mid     the client's optional message id (echoed in errors and relays), or null
 * @param to      the addressed peer id (offer, answer, candidate; optional for event), or null
 * @param payload what is relayed: the SDP text node (offer, answer), the candidate object, the
 *                event's data, or the join's fields; null for leave and ping
 */
public record InboundMessage(MessageType type, String mid, String to, JsonNode payload) {
}
