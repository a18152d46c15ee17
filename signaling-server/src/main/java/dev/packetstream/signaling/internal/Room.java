package dev.packetstream.signaling.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The members of one room. Peers are looked up by id only within a room, so a peer can never
 * address a peer of another room, whatever id it guesses.
 *
 * <h2>Threads</h2>
 * Membership changes only under the {@link RoomRegistry}'s lock; lookups for relaying are lock-free
 * from any thread.
 */
public final class Room {
    private final String name;
    private final Map<String, Peer> members = new ConcurrentHashMap<>();

    Room(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** The member of this room with this id, or null. */
    public Peer member(String id) {
        return members.get(id);
    }

    /** The members in join order. */
    public List<Peer> members() {
        return members.values().stream().sorted(Comparator.comparingLong(Peer::joinOrder)).toList();
    }

    int size() {
        return members.size();
    }

    void add(Peer peer) {
        members.put(peer.id(), peer);
    }

    boolean remove(Peer peer) {
        return members.remove(peer.id(), peer);
    }
}
