package dev.packetstream.signaling.internal;

import java.util.Locale;

/** The message types a client may send to the server. */
public enum MessageType {
    JOIN, LEAVE, OFFER, ANSWER, CANDIDATE, BYE, EVENT, PING;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type for a wire name, or {@code null} if the protocol has none of that name. */
    static MessageType fromWire(String wire) {
        for (MessageType type : values()) {
            if (type.wire().equals(wire)) {
                return type;
            }
        }
        return null;
    }
}
