package dev.packetstream.signaling.internal;

import dev.packetstream.signaling.ErrorCode;
import dev.packetstream.signaling.ProtocolException;
import dev.packetstream.signaling.SignalingLimits;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rooms of one server and their members.
 *
 * <h2>Threads and order</h2>
 * Joins and leaves are serialised by this object's lock, and their notices are queued for writing
 * while it is held. So every member sees the same order of arrivals and departures, a joining peer
 * gets its {@code joined} before anyone can address it, and once a peer's leave returns no one can
 * address it. Relaying does not take the lock: a relay that found the peer just before its leave
 * may still be written to its connection after {@code left} (never after the connection closed).
 */
public final class RoomRegistry {
    private final SignalingLimits limits;
    private final ServerMessages messages;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Room> rooms = new HashMap<>();
    private long joins;
    private int peers;

    public RoomRegistry(SignalingLimits limits, ServerMessages messages) {
        this.limits = limits;
        this.messages = messages;
    }

    /**
     * Adds a peer to a room (opening it if needed), writes {@code joined} to it and
     * {@code peer-joined} to the others.
     *
     * @throws ProtocolException {@link ErrorCode#ROOM_FULL} or {@link ErrorCode#SERVER_FULL}
     */
    public synchronized Peer join(String roomName, String role, Outbox outbox, String mid) throws ProtocolException {
        Room room = rooms.get(roomName);
        if (room == null) {
            if (rooms.size() >= limits.maxRooms()) {
                throw new ProtocolException(ErrorCode.SERVER_FULL, "the server already has " + rooms.size()
                        + " rooms, its limit: join an existing room or try later");
            }
        } else if (room.size() >= limits.maxPeersPerRoom()) {
            throw new ProtocolException(ErrorCode.ROOM_FULL, "room \"" + roomName + "\" already has "
                    + room.size() + " peers, its limit: try later or another room");
        }
        if (room == null) {
            room = new Room(roomName);
            rooms.put(roomName, room);
        }
        Peer peer = new Peer(newId(room), role, room, ++joins, outbox);
        List<Peer> others = room.members();
        room.add(peer);
        peers++;
        outbox.notice(messages.joined(peer, others, limits, mid));
        String notice = messages.peerJoined(peer);
        for (Peer other : others) {
            other.outbox().notice(notice);
        }
        return peer;
    }

    /** Removes a peer, writes {@code peer-left} to the others and closes the room if empty. */
    public synchronized void leave(Peer peer) {
        Room room = peer.room();
        if (!room.remove(peer)) {
            return;
        }
        peers--;
        String notice = messages.peerLeft(peer);
        for (Peer other : room.members()) {
            other.outbox().notice(notice);
        }
        if (room.size() == 0) {
            rooms.remove(room.name(), room);
        }
    }

    public synchronized int rooms() {
        return rooms.size();
    }

    public synchronized int peers() {
        return peers;
    }

    private String newId(Room room) {
        byte[] bytes = new byte[12];
        String id;
        do {
            random.nextBytes(bytes);
            id = "p" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        } while (room.member(id) != null);
        return id;
    }
}
