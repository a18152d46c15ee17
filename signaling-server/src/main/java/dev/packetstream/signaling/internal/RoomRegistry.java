package dev.packetstream.signaling.internal;

import dev.packetstream.signaling.ErrorCode;
import dev.packetstream.signaling.ProtocolException;
import dev.packetstream.signaling.SignalingLimits;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rooms of one server and their members, in this server's memory: the {@link Rooms} of a
 * server that runs alone.
 *
 * <h2>Threads and order</h2>
 * Joins and leaves are serialised by this object's lock, and their notices are queued for writing
 * while it is held. So every member sees the same order of arrivals and departures, a joining peer
 * gets its {@code joined} before anyone can address it, and once a peer's leave returns no one can
 * address it. Relaying does not take the lock: a relay that found the peer just before its leave
 * may still be written to its connection after {@code left} (never after the connection closed).
 */
public final class RoomRegistry implements Rooms {
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

    @Override
    public void start() {
        // nothing to connect to
    }

    @Override
    public synchronized Peer join(String roomName, String role, Outbox outbox, String mid, InetAddress address)
            throws ProtocolException {
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
    @Override
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

    @Override
    public RelayTarget addressed(Peer from, String id) throws ProtocolException {
        if (id.equals(from.id())) {
            throw Rooms.ownId();
        }
        Peer to = from.room().member(id);
        if (to == null) {
            throw Rooms.unknownPeer(id, from.room().name());
        }
        return to.outbox();
    }

    @Override
    public void relayToRoom(Peer from, String text) {
        for (Peer member : from.room().members()) {
            if (member != from) {
                member.outbox().relay(text);
            }
        }
    }

    @Override
    public Boolean clusterConnected() {
        return null;
    }

    @Override
    public void close() {
        // nothing to stop
    }

    @Override
    public synchronized int rooms() {
        return rooms.size();
    }

    @Override
    public synchronized int peers() {
        return peers;
    }

    private String newId(Room room) {
        String id;
        do {
            id = newId(random);
        } while (room.member(id) != null);
        return id;
    }

    /** A random peer id: "p" and 96 bits, base64url. */
    static String newId(SecureRandom random) {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return "p" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
