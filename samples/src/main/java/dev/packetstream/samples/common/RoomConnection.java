package dev.packetstream.samples.common;

import dev.packetstream.signaling.SignalingClient;
import dev.packetstream.signaling.SignalingServer;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The sample's own peer in one room of its embedded server: a {@link SignalingClient} joined with
 * a role, and the {@link PeerDirectory} that routes the room's messages.
 */
public final class RoomConnection implements AutoCloseable {
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(10);

    private final SignalingClient client;
    private final PeerDirectory directory;
    private final String room;
    private final String role;
    private final SignalingServer server;

    private RoomConnection(SignalingClient client, PeerDirectory directory, String room, String role, SignalingServer server) {
        this.client = client;
        this.directory = directory;
        this.room = room;
        this.role = role;
        this.server = server;
    }

    /**
     * A connection to {@code room} as {@code role}, not joined yet: hand {@link #directory()} to
     * whoever needs it, then {@link #join()}. From the join on, {@code peers} hears about the
     * others (the ones already present included), on the client's thread.
     */
    public static RoomConnection create(SignalingServer server, String room, String role, PeerDirectory.Peers peers) {
        PeerDirectory directory = new PeerDirectory(room);
        directory.setPeers(peers);
        SignalingClient client = SignalingClient.builder(server.webSocketUri()).room(room).role(role).listener(directory).build();
        directory.setClient(client);
        return new RoomConnection(client, directory, room, role, server);
    }

    /**
     * Joins the room; waits up to 10 s.
     *
     * @throws SampleException when the server refuses or does not answer
     */
    public RoomConnection join() {
        try {
            client.connect().get(JOIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            client.close();
            Thread.currentThread().interrupt();
            throw new SampleException("interrupted while joining room '" + room + "'", e);
        } catch (ExecutionException | TimeoutException e) {
            client.close();
            throw new SampleException("could not join room '" + room + "' as " + role + " on " + server.webSocketUri() + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e), e);
        }
        return this;
    }

    public SignalingClient client() {
        return client;
    }

    public PeerDirectory directory() {
        return directory;
    }

    /** Leaves the room (the others see peer-left at once) and stops the client's threads. */
    @Override
    public void close() {
        client.leave();
    }
}
