package dev.packetstream.core.peer;

/**
 * How a peer session talks to its peer: any transport (a WebSocket signaling client, an
 * in-memory pair for tests) that carries offers, answers, ICE candidates and a goodbye. Both
 * kinds of session implement the listener side (webrtc-adapters' libwebrtc {@code PeerSession}
 * and webrtc-encoded's GStreamer session), so one signaling bridge serves both.
 *
 * <p>Outgoing: the session calls {@code send...}. Incoming: the transport calls the
 * {@link Listener} that the session registers with {@link #bind(Listener)} when it is created.
 *
 * <h2>Threads</h2>
 * The session calls {@code send...} on its event thread; a send must
 * not block for long (queue it if the transport is slow). The transport may call the listener on
 * any thread: the session hands each message to its event thread before acting on it, so the
 * listener never blocks the transport.
 *
 * <h2>Mapping to the browser API</h2>
 * Offers and answers are the {@code sdp} of an {@code RTCSessionDescription}; an
 * {@link IceCandidate} is an {@code RTCIceCandidateInit} ({@code sdpMid}, {@code sdpMLineIndex},
 * {@code candidate}). A browser's end-of-candidates marker (an empty candidate) may be passed on:
 * sessions ignore it.
 *
 * <h2>Order</h2>
 * Messages must reach the peer in the order they were sent (an answer after its offer; candidates
 * may arrive before the description they belong to: the session buffers them).
 */
public interface Signaller {

    /** Receives what the peer sent. Implemented by the peer sessions. */
    interface Listener {
        void onOffer(String sdp);

        void onAnswer(String sdp);

        void onCandidate(IceCandidate candidate);

        void onBye();
    }

    /** Registers the receiver of incoming messages; called once, by the session's constructor. */
    void bind(Listener listener);

    void sendOffer(String sdp);

    void sendAnswer(String sdp);

    void sendCandidate(IceCandidate candidate);

    /** The session is closing: tell the peer to close too. */
    void sendBye();
}
