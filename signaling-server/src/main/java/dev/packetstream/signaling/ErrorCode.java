package dev.packetstream.signaling;

import java.util.Locale;

/**
 * The error codes of the signaling protocol. Each appears on the wire in its {@linkplain #wire()
 * wire form} (lower case, dashes) in an {@code error} message, and in the server's figures as a
 * reason for rejecting a message or a connection. {@code PROTOCOL.md} describes each one.
 */
public enum ErrorCode {
    /** The text frame is not a JSON object. */
    BAD_JSON,
    /** The {@code type} field names no message of the protocol. */
    UNKNOWN_TYPE,
    /** A required field is missing, has the wrong JSON type, or an invalid value. */
    BAD_FIELD,
    /** The message is longer than the server's message size limit. */
    TOO_LARGE,
    /** A binary frame: the protocol is text (JSON) only. */
    BINARY_NOT_SUPPORTED,
    /** The connection sent more messages per second than the server allows. */
    RATE_LIMITED,
    /** The server requires a token and the join carried none. */
    TOKEN_REQUIRED,
    /** The token is malformed or its signature does not verify (forged, or another secret). */
    TOKEN_INVALID,
    /** The token's expiry has passed. */
    TOKEN_EXPIRED,
    /** The token is genuine but names another room or role than the join asks for. */
    TOKEN_MISMATCH,
    /** The browser's Origin is not allowed (the upgrade is refused with HTTP 403). */
    ORIGIN_NOT_ALLOWED,
    /** The room already has as many peers as the server allows. */
    ROOM_FULL,
    /** The server already has as many rooms as it allows, and the join would open another. */
    SERVER_FULL,
    /** The message needs a joined peer (offer, answer, candidate, event, leave) and there is none. */
    NOT_JOINED,
    /** A second join on a connection that is already in a room (send leave first). */
    ALREADY_JOINED,
    /** The addressed peer id is not in the sender's room (it left, or never was there). */
    UNKNOWN_PEER,
    /** The receiving peer's outgoing queue is full: it does not read fast enough. */
    SLOW_CONSUMER,
    /** The connection closed before the relayed message could be written to it. */
    SEND_FAILED,
    /** The connection was closed after its idle timeout. */
    IDLE_TIMEOUT,
    /**
     * The server lost its link to the other servers of its cluster (Redis): a peer connected to
     * another server cannot be reached, and joins wait until the link is back.
     */
    CLUSTER_UNAVAILABLE,
    /**
     * The server's memory budget for buffered messages is used up: an incoming message that would go
     * over it closes its connection (status 1013, try again later); a relay is dropped.
     */
    SERVER_BUSY,
    /**
     * Too many connections: from the client's address (the upgrade is refused with HTTP 429) or in
     * total (HTTP 503); also a TCP connection closed at once for its address's excess.
     */
    TOO_MANY_CONNECTIONS,
    /** The client's address already has peers in as many rooms as the server allows. */
    TOO_MANY_ROOMS,
    /** An HTTP connection did not complete a request's headers in time and was closed. */
    REQUEST_TIMEOUT,
    /** A peer with messages waiting accepted no bytes for the write timeout and was disconnected. */
    WRITE_TIMEOUT,
    /** An error the server did not expect; its log says more. */
    INTERNAL;

    /** The code as it is written on the wire, e.g. {@code "unknown-peer"}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The code for a wire form.
     *
     * @throws IllegalArgumentException naming the unknown code
     */
    public static ErrorCode fromWire(String wire) {
        for (ErrorCode code : values()) {
            if (code.wire().equals(wire)) {
                return code;
            }
        }
        throw new IllegalArgumentException("unknown error code \"" + wire
                + "\": expected one of the codes listed in PROTOCOL.md");
    }
}
