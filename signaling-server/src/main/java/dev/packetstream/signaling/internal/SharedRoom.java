package dev.packetstream.signaling.internal;

import dev.packetstream.signaling.internal.ClusterMessages.Change;
import dev.packetstream.signaling.internal.ClusterMessages.Member;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A room as one server of a cluster sees it: its own peers of the room ({@link #local}) and every
 * member wherever connected ({@link #members}, a copy of Redis's, kept current by the J and L
 * messages in the order Redis numbered them).
 *
 * <h2>Threads</h2>
 * {@link #local} and {@link #members} are read lock-free when relaying; every change, and
 * {@link #lastSeq} and {@link #buffered}, are guarded by {@link RedisRooms}' lock.
 */
final class SharedRoom {
    final Room local;
    final Map<String, Member> members = new ConcurrentHashMap<>();
    /** The number of the last change applied; older ones are ignored. */
    long lastSeq;
    /** Changes kept while the room is being put back after a lost link; null otherwise. */
    List<Change> buffered;
    /**
     * Members of other servers missing from Redis after it came back, by the time (nanoTime) they
     * are reported as left unless their server puts them back first.
     */
    final Map<String, Long> suspects = new HashMap<>();

    SharedRoom(String name) {
        this.local = new Room(name);
    }

    String name() {
        return local.name();
    }
}
