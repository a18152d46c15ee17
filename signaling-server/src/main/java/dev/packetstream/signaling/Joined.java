package dev.packetstream.signaling;

import java.util.List;

/**
 * The server's answer to a join.
 *
 * @param selfId the id the server assigned to this peer (a new one after each reconnection)
 * @param peers  the peers already in the room, in the order they joined
 */
public record Joined(String selfId, String room, String role, List<PeerInfo> peers) {
    public Joined {
        peers = List.copyOf(peers);
    }
}
