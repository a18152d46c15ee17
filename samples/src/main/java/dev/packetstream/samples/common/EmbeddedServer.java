package dev.packetstream.samples.common;

import dev.packetstream.signaling.SignalingClient;
import dev.packetstream.signaling.SignalingLimits;
import dev.packetstream.signaling.SignalingServer;
import dev.packetstream.signaling.SignalingServerException;
import dev.packetstream.signaling.bridge.RoomConnection;
import dev.packetstream.signaling.bridge.RoomListener;
import dev.packetstream.signaling.bridge.SignalingBridgeException;
import java.net.BindException;
import java.net.URI;

/** Starts the signaling server a sample embeds, with an error that says what to do when it cannot. */
public final class EmbeddedServer {
    private EmbeddedServer() {
    }

    /**
     * Starts a server on {@code options.port} (0: any free port) at {@code options.bind}.
     *
     * @throws SampleException when the port is busy or the address cannot be bound
     */
    public static SignalingServer start(ServerOptions options) {
        // A relay room holds many viewers, and the sample's own peer sends an offer and candidates to
        // each of them (a burst when many join at once): room and per-peer rate sized for that. The
        // connections per address keep the server's default (64) unless the user raises them.
        SignalingLimits limits = SignalingLimits.defaults().withMaxPeersPerRoom(options.maxPeers)
                .withMaxMessagesPerSecond(Math.max(50, 8 * options.maxPeers))
                .withMaxConnectionsPerAddress(options.maxConnectionsPerAddress);
        SignalingServer server = SignalingServer.builder().port(options.port).bindAddress(options.bind).limits(limits).build();
        try {
            return server.start();
        } catch (SignalingServerException e) {
            server.close();
            if (hasCause(e, BindException.class)) {
                throw new SampleException("port " + options.port + " on " + options.bind
                        + " is busy (another sample still running?): stop that program or pass --port <free port> (or --port 0)", e);
            }
            throw new SampleException("the signaling server could not start on " + options.bind + ":" + options.port
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * Joins {@code room} on {@code server} as {@code role}; from then on {@code listener} hears about
     * the room's peers (the ones already present included), on the signaling client's thread.
     *
     * @throws SampleException when the server refuses the join or does not answer within 10 s
     */
    public static RoomConnection joinRoom(SignalingServer server, String room, String role, RoomListener listener) {
        RoomConnection connection = RoomConnection.open(
                SignalingClient.builder(server.webSocketUri()).room(room).role(role), listener);
        try {
            return connection.join();
        } catch (SignalingBridgeException e) {
            throw new SampleException(e.getMessage(), e);
        }
    }

    /** The address of a page the server serves, e.g. {@code viewer.html?room=demo}. */
    public static URI page(SignalingServer server, String pathAndQuery) {
        return server.httpUri().resolve(pathAndQuery);
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
