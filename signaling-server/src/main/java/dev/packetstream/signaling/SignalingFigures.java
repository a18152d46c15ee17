package dev.packetstream.signaling;

import java.util.Map;

/**
 * A snapshot of the server's figures, as {@code GET /health} returns them.
 *
 * @param rooms             rooms open now
 * @param peers             peers joined now
 * @param connections       WebSocket connections open now (joined or not)
 * @param messagesReceived  client messages received since start (valid or not)
 * @param messagesRelayed   relayed messages written to their recipient (an event to the room counts
 *                          once per recipient)
 * @param rejected          messages (and refused upgrades, idle closes) by reason, every code present
 * @param heapUsedBytes     the JVM's used heap at the time of the snapshot
 * @param bufferedBytes     bytes held now in unfinished incoming and queued outgoing messages
 *                          (bounded by {@link SignalingLimits#maxBufferedBytes()})
 * @param redis             null when the server runs alone; {@value #REDIS_CONNECTED} or
 *                          {@value #REDIS_DISCONNECTED} when it shares rooms through Redis
 *                          ({@code rooms} and {@code peers} then count this server's own)
 */
public record SignalingFigures(int rooms, int peers, int connections, long messagesReceived, long messagesRelayed,
                               Map<ErrorCode, Long> rejected, long heapUsedBytes, long bufferedBytes, String redis) {
    public static final String REDIS_CONNECTED = "connected";
    public static final String REDIS_DISCONNECTED = "disconnected";

    public SignalingFigures {
        rejected = Map.copyOf(rejected);
    }

    /** The rejections of one reason. */
    public long rejected(ErrorCode reason) {
        return rejected.getOrDefault(reason, 0L);
    }

    /** False only when the server shares rooms through Redis and has lost it. */
    public boolean healthy() {
        return !REDIS_DISCONNECTED.equals(redis);
    }

    /** All rejections. */
    public long rejectedTotal() {
        return rejected.values().stream().mapToLong(Long::longValue).sum();
    }
}
