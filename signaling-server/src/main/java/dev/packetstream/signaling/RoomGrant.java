package dev.packetstream.signaling;

import java.time.Instant;
import java.util.Objects;

/**
 * What a verified token allows: joining {@code room} with {@code role} until {@code expiresAt}.
 */
public record RoomGrant(String room, String role, Instant expiresAt) {
    public RoomGrant {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
