package dev.packetstream.signaling.bridge;

import dev.packetstream.signaling.SignalingClient;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * This program's peer in one room of a signaling server: a {@link SignalingClient} joined with a
 * role, and the {@link PeerDirectory} that gives each remote peer a signaller for its session.
 *
 * <pre>{@code
 * RoomListener viewers = new RoomListener() {
 *     public void peerPresent(PeerDirectory peers, PeerInfo peer) {
 *         if ("viewer".equals(peer.role())) {
 *             PeerSession s = runtime.newSession("to-" + peer.id(), config, peers.signallerFor(peer.id()));
 *             ... add a sender, then s.negotiate()
 *         }
 *     }
 * };
 * try (RoomConnection room = RoomConnection.open(
 *         SignalingClient.builder(serverUri).room("demo").role("publisher"), viewers).join()) {
 *     ...
 * }
 * }</pre>
 *
 * <h2>Ownership</h2>
 * The connection owns its client; {@link #close()} leaves the room and stops the client. Peer
 * sessions belong to the application: close them before, or when, their peers leave.
 */
public final class RoomConnection implements AutoCloseable {
    /** How long {@link #join()} waits for the server. */
    public static final Duration DEFAULT_JOIN_TIMEOUT = Duration.ofSeconds(10);

    private final PeerDirectory directory;

    private RoomConnection(PeerDirectory directory) {
        this.directory = directory;
    }

    /**
     * A connection to the room and role configured on {@code client} (with any token, backoff or
     * shared executor set there), not joined yet. The builder's listener is replaced by the
     * directory. From {@link #join()} on, {@code listener} hears about the other peers, the ones
     * already present included, on the client's thread.
     */
    public static RoomConnection open(SignalingClient.Builder client, RoomListener listener) {
        return new RoomConnection(new PeerDirectory(client, listener));
    }

    /** Joins the room, waiting up to {@link #DEFAULT_JOIN_TIMEOUT}. */
    public RoomConnection join() {
        return join(DEFAULT_JOIN_TIMEOUT);
    }

    /**
     * Joins the room. Call once.
     *
     * @return this connection, joined
     * @throws SignalingBridgeException when the server refuses the join or does not answer in time
     *                                  (the client is closed then)
     */
    public RoomConnection join(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        SignalingClient client = directory.client();
        String where = "room '" + client.room() + "' as " + client.role() + " on " + client.serverUri();
        try {
            client.connect().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            client.close();
            Thread.currentThread().interrupt();
            throw new SignalingBridgeException("interrupted while joining " + where, e);
        } catch (ExecutionException e) {
            client.close();
            throw new SignalingBridgeException("could not join " + where + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            client.close();
            throw new SignalingBridgeException("could not join " + where + ": no answer within " + timeout.toMillis()
                    + " ms; is the server running and reachable?", e);
        }
        return this;
    }

    public PeerDirectory directory() {
        return directory;
    }

    public SignalingClient client() {
        return directory.client();
    }

    /** Leaves the room (the others see peer-left at once) and stops the client's threads. Idempotent. */
    @Override
    public void close() {
        directory.client().leave();
    }

    @Override
    public String toString() {
        return "RoomConnection[" + directory.room() + " as " + directory.client().role() + "]";
    }
}
