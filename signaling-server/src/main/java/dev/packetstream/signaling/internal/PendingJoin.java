package dev.packetstream.signaling.internal;

import java.util.concurrent.CompletableFuture;

/**
 * A join of this server's peer between its script and its own J on the channel: {@code peer}
 * completes when the J adds it to its room (see {@link RedisRooms}).
 */
record PendingJoin(String room, String role, Outbox outbox, CompletableFuture<Peer> peer) {
}
