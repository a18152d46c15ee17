package dev.packetstream.signaling;

import dev.packetstream.core.peer.IceCandidate;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Receives what the server sends to a {@link SignalingClient}. Every method has a no-op default:
 * override what you need.
 *
 * <h2>Threads and order</h2>
 * Methods are called one at a time, in the order the server sent the messages, on the client's
 * event thread (named {@code signaling-client-*}, or serialised on the executor given to the
 * builder), never on a Jetty thread. Do not block in them: hand long work to another thread.
 * An exception thrown by a listener method is logged and does not stop the client.
 *
 * <h2>Negotiation rule (PROTOCOL.md)</h2>
 * A publisher offers: it sends an offer to every non-publisher peer it learns of (in
 * {@link #onJoined} and {@link #onPeerJoined}); the others answer.
 */
public interface SignalingListener {
    /** The client joined (also after each reconnection, with a new self id). */
    default void onJoined(Joined joined) {
    }

    default void onPeerJoined(PeerInfo peer) {
    }

    default void onPeerLeft(PeerInfo peer) {
    }

    default void onOffer(PeerInfo from, String sdp) {
    }

    default void onAnswer(PeerInfo from, String sdp) {
    }

    default void onCandidate(PeerInfo from, IceCandidate candidate) {
    }

    /** The peer hung up its session with this one (it stays in the room; it may offer again). */
    default void onBye(PeerInfo from) {
    }

    /**
     * An application event.
     *
     * @param toRoom true when it was sent to the whole room, false when addressed to this peer
     */
    default void onEvent(PeerInfo from, JsonNode data, boolean toRoom) {
    }

    /** The server refused a message (or the join); see the error's code. */
    default void onError(SignalingError error) {
    }

    /**
     * The connection closed.
     *
     * @param reconnecting true when the client will try again (after its back-off)
     */
    default void onDisconnected(int statusCode, String reason, boolean reconnecting) {
    }
}
