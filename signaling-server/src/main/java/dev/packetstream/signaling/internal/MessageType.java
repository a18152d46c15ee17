package dev.packetstream.signaling.internal;

import java.util.Locale;

/**
 * The message types a client may send to the server (the server relays offer, answer, candidate,
 * bye and event with the same type). Shared by the server, which validates them, and the Java
 * client, which builds them.
 */
public enum MessageType {
    JOIN, LEAVE, OFFER, ANSWER, CANDIDATE, BYE, EVENT, PING;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type for a wire name, or {@code null} if the protocol has none of that name. */
    public static MessageType fromWire(String wire) {
        for (MessageType type : values()) {
            if (type.wire().equals(wire)) {
                return type;
            }
        }
        return null;
    }
}
