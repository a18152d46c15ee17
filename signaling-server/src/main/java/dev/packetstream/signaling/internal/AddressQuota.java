package dev.packetstream.signaling.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * What each client IP address holds: WebSocket connections (in total and per address) and the
 * rooms it has peers in. An address's entry disappears when it holds nothing.
 *
 * <h2>Threads</h2>
 * Every method takes this object's lock (short, no I/O).
 */
public final class AddressQuota {
    private final int maxConnections;
    private final int maxConnectionsPerAddress;
    private final int maxRoomsPerAddress;
    private final Map<InetAddress, Holding> holdings = new HashMap<>();
    private int connections;

    public AddressQuota(int maxConnections, int maxConnectionsPerAddress, int maxRoomsPerAddress) {
        this.maxConnections = maxConnections;
        this.maxConnectionsPerAddress = maxConnectionsPerAddress;
        this.maxRoomsPerAddress = maxRoomsPerAddress;
    }

    /** Why a connection would be refused now, or null if it would be admitted. */
    public synchronized String refusal(InetAddress address) {
        Holding h = holdings.get(address);
        if (h != null && h.connections >= maxConnectionsPerAddress) {
            return "your address " + address.getHostAddress() + " already has " + h.connections
                    + " connections open, the server's limit per address: close some, or ask the operator"
                    + " to raise maxConnectionsPerAddress";
        }
        if (connections >= maxConnections) {
            return "the server already has " + connections + " connections open, its limit: try later";
        }
        return null;
    }

    /** Whether this address is at its own limit (as opposed to the server being full). */
    public synchronized boolean addressFull(InetAddress address) {
        Holding h = holdings.get(address);
        return h != null && h.connections >= maxConnectionsPerAddress;
    }

    /** Counts a connection if it is admitted; false if the address or the server is at its limit. */
    public synchronized boolean tryOpen(InetAddress address) {
        if (refusal(address) != null) {
            return false;
        }
        holdings.computeIfAbsent(address, a -> new Holding()).connections++;
        connections++;
        return true;
    }

    public synchronized void closed(InetAddress address) {
        Holding h = holdings.get(address);
        if (h == null || h.connections == 0) {
            throw new IllegalStateException("closed a connection of " + address + " that was not counted");
        }
        h.connections--;
        connections--;
        forgetIfEmpty(address, h);
    }

    /** Counts a peer of this address in this room; false if that would be one room too many. */
    public synchronized boolean tryEnterRoom(InetAddress address, String room) {
        Holding h = holdings.computeIfAbsent(address, a -> new Holding());
        Integer peers = h.rooms.get(room);
        if (peers == null && h.rooms.size() >= maxRoomsPerAddress) {
            forgetIfEmpty(address, h);
            return false;
        }
        h.rooms.merge(room, 1, Integer::sum);
        return true;
    }

    public synchronized void leftRoom(InetAddress address, String room) {
        Holding h = holdings.get(address);
        if (h == null) {
            return;
        }
        h.rooms.computeIfPresent(room, (r, n) -> n == 1 ? null : n - 1);
        forgetIfEmpty(address, h);
    }

    public int maxRoomsPerAddress() {
        return maxRoomsPerAddress;
    }

    public synchronized int connections() {
        return connections;
    }

    /** The IP address of a socket address (unresolved or non-IP ones map to the wildcard address). */
    public static InetAddress addressOf(SocketAddress socket) {
        if (socket instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress();
        }
        return new InetSocketAddress(0).getAddress();
    }

    private void forgetIfEmpty(InetAddress address, Holding h) {
        if (h.connections == 0 && h.rooms.isEmpty()) {
            holdings.remove(address);
        }
    }

    private static final class Holding {
        int connections;
        final Map<String, Integer> rooms = new HashMap<>();
    }
}
