package dev.packetstream.signaling.internal;

import dev.packetstream.signaling.ErrorCode;
import dev.packetstream.signaling.ProtocolException;
import java.net.InetAddress;

/**
 * The rooms a server's connections join, and the routes between their peers: the seam between the
 * connections ({@link SignalingEndpoint}) and where membership lives. {@link RoomRegistry} keeps
 * it in this server's memory; {@link RedisRooms} shares it with other servers through Redis.
 *
 * <h2>Order</h2>
 * Every member of a room sees arrivals and departures in the same order; a joining peer gets its
 * {@code joined} before any other message; once {@link #leave} returns, no peer of this server can
 * address the peer that left (peers of other servers stop at most when they learn of the leave).
 *
 * <h2>Threads</h2>
 * Every method may be called from any thread. {@link #addressed} and {@link #relayToRoom} are the
 * per-message path: no lock, no blocking, no I/O wait.
 */
public interface Rooms extends AutoCloseable {

    /** Connects to what holds the rooms (nothing for the local registry); before any join. */
    void start();

    /**
     * Adds a peer to a room (opening it if needed), writes {@code joined} to it and
     * {@code peer-joined} to the others.
     *
     * @param address the client's address: shared rooms count its rooms on every server
     *                ({@code maxRoomsPerAddress}); this server's own count is the caller's
     * @throws ProtocolException {@link ErrorCode#ROOM_FULL}, {@link ErrorCode#SERVER_FULL},
     *                           {@link ErrorCode#TOO_MANY_ROOMS} or {@link ErrorCode#CLUSTER_UNAVAILABLE}
     */
    Peer join(String roomName, String role, Outbox outbox, String mid, InetAddress address) throws ProtocolException;

    /** Removes a peer and writes {@code peer-left} to the others; nothing if it already left. */
    void leave(Peer peer);

    /**
     * The peer of {@code from}'s room with this id.
     *
     * @throws ProtocolException {@link ErrorCode#UNKNOWN_PEER} (its own id, or no such peer in the
     *                           room), {@link ErrorCode#CLUSTER_UNAVAILABLE} (on another server
     *                           that cannot be reached now)
     */
    RelayTarget addressed(Peer from, String id) throws ProtocolException;

    /** Relays a room event to every other peer of {@code from}'s room, wherever connected. */
    void relayToRoom(Peer from, String text);

    /** Rooms with a peer connected to this server. */
    int rooms();

    /** Peers joined through this server. */
    int peers();

    /** Null when the server runs alone; otherwise whether its link to the others is up. */
    Boolean clusterConnected();

    /** Stops what {@link #start()} started. Idempotent. */
    @Override
    void close();

    /** The error for a peer addressing itself. */
    static ProtocolException ownId() {
        return new ProtocolException(ErrorCode.UNKNOWN_PEER, "\"to\" is your own id: address another peer");
    }

    /** The error for an id that is not a peer of the room. */
    static ProtocolException unknownPeer(String id, String room) {
        return new ProtocolException(ErrorCode.UNKNOWN_PEER, "no peer \"" + id + "\" in room \""
                + room + "\": address a peer from joined or peer-joined that has not left");
    }
}
