package dev.packetstream.signaling.internal;

/**
 * A joined peer: its server-assigned id, its role, its room, and the outbox of its connection.
 * Immutable.
 */
public record Peer(String id, String role, Room room, long joinOrder, Outbox outbox) {
}
