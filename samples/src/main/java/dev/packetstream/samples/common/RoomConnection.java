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

    private RoomConnection(SignalingClient client, PeerDirectory directory) {
        this.client = client;
        this.directory = directory;
    }

    /**
     * Joins {@code room} as {@code role}; {@code peers} hears about the others from then on (the
     * ones already present included).
     */
    public static RoomConnection join(SignalingServer server, String room, String role, PeerDirectory.Peers peers) {
        PeerDirectory directory = new PeerDirectory(room);
        directory.setPeers(peers);
        SignalingClient client = SignalingClient.builder(server.webSocketUri()).room(room).role(role).listener(directory).build();
        directory.setClient(client);
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
        return new RoomConnection(client, directory);
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
