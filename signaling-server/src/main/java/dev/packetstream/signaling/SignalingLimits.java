package dev.packetstream.signaling;

import java.time.Duration;
import java.util.Objects;

/**
 * The server's limits. Each is enforced, counted in the figures when it refuses something, and
 * described in PROTOCOL.md with the error it produces. The defaults suit a server reachable from
 * the Internet; a public deployment also needs tokens ({@link SignalingServer.Builder#requireTokens}),
 * since limits per address do not stop many addresses.
 *
 * @param maxMessageBytes          longest text message accepted, in UTF-8 bytes (default 64 KiB);
 *                                 longer ones get {@link ErrorCode#TOO_LARGE} and are not buffered
 *                                 beyond this size. Messages over four times this size close the
 *                                 connection with status 1009.
 * @param maxMessagesPerSecond     per connection, a token bucket holding one second of messages
 *                                 (default 50); excess gets {@link ErrorCode#RATE_LIMITED}
 * @param maxPeersPerRoom          default 16; more get {@link ErrorCode#ROOM_FULL}
 * @param maxRooms                 rooms open at once (default 1000); a join that would open one
 *                                 more gets {@link ErrorCode#SERVER_FULL}
 * @param idleTimeout              a connection that sends no message (not even a ping) for this long
 *                                 is closed (default 60 s); what the server sends to it does not count
 * @param maxPendingPerPeer        messages queued for writing to one peer (default 1024); more are
 *                                 dropped and counted as {@link ErrorCode#SLOW_CONSUMER}
 * @param maxPendingBytesPerPeer   bytes queued for writing to one peer (default 512 KiB, at least
 *                                 {@code maxMessageBytes} + 1 KiB); more are dropped as
 *                                 {@link ErrorCode#SLOW_CONSUMER}
 * @param maxBufferedBytes         bytes the whole server may hold in unfinished incoming messages (half)
 *                                 and in queued outgoing ones (the other half); default a quarter of the
 *                                 JVM's maximum heap, at most 1 GiB. An incoming message that would go
 *                                 over its half closes its connection with status 1013
 *                                 ({@link ErrorCode#SERVER_BUSY}); an outgoing one is dropped as
 *                                 {@link ErrorCode#SERVER_BUSY}. Holders of more than 16 KiB (incoming)
 *                                 or 64 KiB (a peer's queue) may fill only three quarters of a half: the
 *                                 rest stays for the small messages of well-behaved peers
 * @param maxConnections           WebSocket connections open at once (default 10000); more are
 *                                 refused with HTTP 503 ({@link ErrorCode#TOO_MANY_CONNECTIONS})
 * @param maxConnectionsPerAddress WebSocket connections open at once from one IP address (default 64);
 *                                 more are refused with HTTP 429 ({@link ErrorCode#TOO_MANY_CONNECTIONS})
 * @param maxRoomsPerAddress       rooms in which one IP address has peers at once (default 16); a join
 *                                 into one more gets {@link ErrorCode#TOO_MANY_ROOMS}
 * @param requestHeaderTimeout     an HTTP connection that has begun a request must complete its
 *                                 headers within this time of opening or of its previous request, else
 *                                 it is closed ({@link ErrorCode#REQUEST_TIMEOUT}; default 10 s). One
 *                                 that sends nothing is closed by Jetty's idle timeout (30 s)
 * @param writeTimeout             a peer with messages waiting that accepts no bytes for this long is
 *                                 disconnected ({@link ErrorCode#WRITE_TIMEOUT}; default 30 s)
 */
public record SignalingLimits(int maxMessageBytes, int maxMessagesPerSecond, int maxPeersPerRoom, int maxRooms,
                              Duration idleTimeout, int maxPendingPerPeer, long maxPendingBytesPerPeer,
                              long maxBufferedBytes, int maxConnections, int maxConnectionsPerAddress,
                              int maxRoomsPerAddress, Duration requestHeaderTimeout, Duration writeTimeout) {

    public SignalingLimits {
        positive("maxMessageBytes", maxMessageBytes);
        positive("maxMessagesPerSecond", maxMessagesPerSecond);
        positive("maxPeersPerRoom", maxPeersPerRoom);
        positive("maxRooms", maxRooms);
        positive("maxPendingPerPeer", maxPendingPerPeer);
        positive("maxConnections", maxConnections);
        positive("maxConnectionsPerAddress", maxConnectionsPerAddress);
        positive("maxRoomsPerAddress", maxRoomsPerAddress);
        positive("idleTimeout", idleTimeout);
        positive("requestHeaderTimeout", requestHeaderTimeout);
        positive("writeTimeout", writeTimeout);
        if (maxPendingBytesPerPeer < maxMessageBytes + 1024L) {
            throw new IllegalArgumentException("maxPendingBytesPerPeer (" + maxPendingBytesPerPeer
                    + ") must be at least maxMessageBytes + 1024 (" + (maxMessageBytes + 1024L)
                    + "): a relayed message of the largest size must fit in a peer's queue");
        }
        if (maxBufferedBytes < 2 * maxPendingBytesPerPeer) {
            throw new IllegalArgumentException("maxBufferedBytes (" + maxBufferedBytes
                    + ") must be at least 2 x maxPendingBytesPerPeer (" + 2 * maxPendingBytesPerPeer + ")");
        }
    }

    /**
     * 64 KiB, 50 messages/s, 16 peers per room, 1000 rooms, 60 s idle, 1024 messages and 512 KiB pending
     * per peer, a quarter of the maximum heap (at most 1 GiB) buffered in total, 10000 connections,
     * 64 connections and 16 rooms per address, 10 s to send request headers, 30 s write timeout.
     */
    public static SignalingLimits defaults() {
        long buffered = Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 4);
        return new SignalingLimits(64 * 1024, 50, 16, 1000, Duration.ofSeconds(60), 1024, 512 * 1024,
                Math.max(buffered, 4L << 20), 10_000, 64, 16, Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    public SignalingLimits withMaxMessageBytes(int value) {
        return new SignalingLimits(value, maxMessagesPerSecond, maxPeersPerRoom, maxRooms, idleTimeout,
                maxPendingPerPeer, Math.max(maxPendingBytesPerPeer, value + 1024L),
                Math.max(maxBufferedBytes, 2 * Math.max(maxPendingBytesPerPeer, value + 1024L)), maxConnections,
                maxConnectionsPerAddress, maxRoomsPerAddress, requestHeaderTimeout, writeTimeout);
    }

    public SignalingLimits withMaxMessagesPerSecond(int value) {
        return new SignalingLimits(maxMessageBytes, value, maxPeersPerRoom, maxRooms, idleTimeout, maxPendingPerPeer,
                maxPendingBytesPerPeer, maxBufferedBytes, maxConnections, maxConnectionsPerAddress, maxRoomsPerAddress,
                requestHeaderTimeout, writeTimeout);
    }

    public SignalingLimits withMaxPeersPerRoom(int value) {
        return new SignalingLimits(maxMessageBytes, maxMessagesPerSecond, value, maxRooms, idleTimeout, maxPendingPerPeer,
                maxPendingBytesPerPeer, maxBufferedBytes, maxConnections, maxConnectionsPerAddress, maxRoomsPerAddress,
                requestHeaderTimeout, writeTimeout);
    }

    public SignalingLimits withMaxRooms(int value) {
        return new SignalingLimits(maxMessageBytes, maxMessagesPerSecond, maxPeersPerRoom, value, idleTimeout,
                maxPendingPerPeer, maxPendingBytesPerPeer, maxBufferedBytes, maxConnections, maxConnectionsPerAddress,
                maxRoomsPerAddress, requestHeaderTimeout, writeTimeout);
    }

    public SignalingLimits withIdleTimeout(Duration value) {
        return new SignalingLimits(maxMessageBytes, maxMessagesPerSecond, maxPeersPerRoom, maxRooms, value,
                maxPendingPerPeer, maxPendingBytesPerPeer, maxBufferedBytes, maxConnections, maxConnectionsPerAddress,
                maxRoomsPerAddress, requestHeaderTimeout, writeTimeout);
    }

    public SignalingLimits withMaxPendingPerPeer(int value) {
        return new SignalingLimits(maxMessageBytes, maxMessagesPerSecond, maxPeersPerRoom, maxRooms, idleTimeout, value,
                maxPendingBytesPerPeer, maxBufferedBytes, maxConnections, maxConnectionsPerAddress, maxRoomsPerAddress,
                requestHeaderTimeout, writeTimeout);
    }

    public SignalingLimits withMaxPendingBytesPerPeer(long value) {
        return new SignalingLimits(maxMessageBytes, maxMessagesPerSecond, maxPeersPerRoom, maxRooms, idleTimeout,
                maxPendingPerPeer, value, maxBufferedBytes, maxConnections, maxConnectionsPerAddress,
                maxRoomsPerAddress, requestHeaderTimeout, writeTimeout);
    }

    public SignalingLimits withMaxBufferedBytes(long value) {
        return new SignalingLimits(maxMessageBytes, maxMessagesPerSecond, maxPeersPerRoom, maxRooms, idleTimeout,
                maxPendingPerPeer, maxPendingBytesPerPeer, value, maxConnections, maxConnectionsPerAddress,
                maxRoomsPerAddress, requestHeaderTimeout, writeTimeout);
    }

    public SignalingLimits withMaxConnections(int value) {
        return new SignalingLimits(maxMessageBytes, maxMessagesPerSecond, maxPeersPerRoom, maxRooms, idleTimeout,
                maxPendingPerPeer, maxPendingBytesPerPeer, maxBufferedBytes, value, maxConnectionsPerAddress,
                maxRoomsPerAddress, requestHeaderTimeout, writeTimeout);
    }

    public SignalingLimits withMaxConnectionsPerAddress(int value) {
        return new SignalingLimits(maxMessageBytes, maxMessagesPerSecond, maxPeersPerRoom, maxRooms, idleTimeout,
                maxPendingPerPeer, maxPendingBytesPerPeer, maxBufferedBytes, maxConnections, value,
                maxRoomsPerAddress, requestHeaderTimeout, writeTimeout);
    }

    public SignalingLimits withMaxRoomsPerAddress(int value) {
        return new SignalingLimits(maxMessageBytes, maxMessagesPerSecond, maxPeersPerRoom, maxRooms, idleTimeout,
                maxPendingPerPeer, maxPendingBytesPerPeer, maxBufferedBytes, maxConnections, maxConnectionsPerAddress,
                value, requestHeaderTimeout, writeTimeout);
    }

    public SignalingLimits withRequestHeaderTimeout(Duration value) {
        return new SignalingLimits(maxMessageBytes, maxMessagesPerSecond, maxPeersPerRoom, maxRooms, idleTimeout,
                maxPendingPerPeer, maxPendingBytesPerPeer, maxBufferedBytes, maxConnections, maxConnectionsPerAddress,
                maxRoomsPerAddress, value, writeTimeout);
    }

    public SignalingLimits withWriteTimeout(Duration value) {
        return new SignalingLimits(maxMessageBytes, maxMessagesPerSecond, maxPeersPerRoom, maxRooms, idleTimeout,
                maxPendingPerPeer, maxPendingBytesPerPeer, maxBufferedBytes, maxConnections, maxConnectionsPerAddress,
                maxRoomsPerAddress, requestHeaderTimeout, value);
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
