package dev.packetstream.signaling;

import java.util.Objects;

/** Another peer of the room: its server-assigned id and the role it joined with. */
public record PeerInfo(String id, String role) {
    public PeerInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(role, "role");
    }
}
