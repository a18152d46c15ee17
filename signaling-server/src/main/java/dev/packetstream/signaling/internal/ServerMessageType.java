package dev.packetstream.signaling.internal;

import java.util.Locale;

/**
 * The message types only the server sends (PROTOCOL.md); it also relays offer, answer,
 * candidate, bye and event, which are {@link MessageType}s. Shared by the server, which builds
 * them, and the Java client, which reads them.
 */
public enum ServerMessageType {
    JOINED, PEER_JOINED, PEER_LEFT, LEFT, PONG, ERROR;

    /** The name on the wire, e.g. {@code peer-joined}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The type for a wire name, or {@code null} if the server sends none of that name. */
    public static ServerMessageType fromWire(String wire) {
        for (ServerMessageType type : values()) {
            if (type.wire().equals(wire)) {
                return type;
            }
        }
        return null;
    }
}
