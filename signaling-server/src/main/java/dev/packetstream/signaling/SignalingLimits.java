package dev.packetstream.signaling;

import java.time.Duration;
import java.util.Objects;

/**
 * The server's limits. Each is enforced, counted in the figures when it refuses something, and
 * described in PROTOCOL.md with the error it produces.
 *
 * @param maxMessageBytes          longest text message accepted, in UTF-8 bytes (default 64 KiB);
 *                                 longer ones get {@link ErrorCode#TOO_LARGE}. Messages over
 *                                 four times this size are not even buffered: the connection is
 *                                 closed with status 1009.
 * @param maxMessagesPerSecond     per connection, a token bucket holding one second of messages
 *                                 (default 50); excess gets {@link ErrorCode#RATE_LIMITED}
 * @param maxPeersPerRoom          default 16; more get {@link ErrorCode#ROOM_FULL}
 * @param maxRooms                 rooms open at once (default 1000); a join that would open one
 *                                 more gets {@link ErrorCode#SERVER_FULL}
 * @param idleTimeout              a connection that sends nothing (not even a ping) for this long
 *                                 is closed (default 60 s)
 * @param maxPendingPerPeer        messages queued for writing to one peer (default 1024); more are
 *                                 dropped and counted as {@link ErrorCode#SLOW_CONSUMER}
 */
public record SignalingLimits(int maxMessageBytes, int maxMessagesPerSecond, int maxPeersPerRoom, int maxRooms,
                              Duration idleTimeout, int maxPendingPerPeer) {

    public SignalingLimits {
        positive("maxMessageBytes", maxMessageBytes);
        positive("maxMessagesPerSecond", maxMessagesPerSecond);
        positive("maxPeersPerRoom", maxPeersPerRoom);
        positive("maxRooms", maxRooms);
        positive("maxPendingPerPeer", maxPendingPerPeer);
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive, was " + idleTimeout);
        }
    }

    /** 64 KiB, 50 messages/s, 16 peers per room, 1000 rooms, 60 s idle, 1024 pending per peer. */
    public static SignalingLimits defaults() {
        return new SignalingLimits(64 * 1024, 50, 16, 1000, Duration.ofSeconds(60), 1024);
    }

    public SignalingLimits withMaxMessageBytes(int value) {
        return new SignalingLimits(value, maxMessagesPerSecond, maxPeersPerRoom, maxRooms, idleTimeout, maxPendingPerPeer);
    }

    public SignalingLimits withMaxMessagesPerSecond(int value) {
        return new SignalingLimits(maxMessageBytes, value, maxPeersPerRoom, maxRooms, idleTimeout, maxPendingPerPeer);
    }

    public SignalingLimits withMaxPeersPerRoom(int value) {
        return new SignalingLimits(maxMessageBytes, maxMessagesPerSecond, value, maxRooms, idleTimeout, maxPendingPerPeer);
    }

    public SignalingLimits withMaxRooms(int value) {
        return new SignalingLimits(maxMessageBytes, maxMessagesPerSecond, maxPeersPerRoom, value, idleTimeout, maxPendingPerPeer);
    }

    public SignalingLimits withIdleTimeout(Duration value) {
        return new SignalingLimits(maxMessageBytes, maxMessagesPerSecond, maxPeersPerRoom, maxRooms, value, maxPendingPerPeer);
    }

    public SignalingLimits withMaxPendingPerPeer(int value) {
        return new SignalingLimits(maxMessageBytes, maxMessagesPerSecond, maxPeersPerRoom, maxRooms, idleTimeout, value);
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
