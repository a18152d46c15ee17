package dev.packetstream.samples.common;

import dev.packetstream.signaling.SignalingClient;
import dev.packetstream.core.peer.IceCandidate;
import dev.packetstream.core.peer.Signaller;

/**
 * A {@link Signaller} for one remote peer of a room, carried by the sample's {@link SignalingClient}:
 * what a {@code PeerSession} sends is addressed to that peer's id, and what the peer sends is handed
 * in by the {@link PeerDirectory} that routes the room's messages.
 *
 * <h2>Threads</h2>
 * The send methods only enqueue on the client (they never block). The {@code deliver...} methods
 * run on the client's event thread; the session hops to its own event thread itself.
 */
public final class PeerSignaller implements Signaller {
    private final SignalingClient client;
    private final String peerId;
    private volatile Listener listener;

    public PeerSignaller(SignalingClient client, String peerId) {
        this.client = client;
        this.peerId = peerId;
    }

    /** The remote peer's id in the room. */
    public String peerId() {
        return peerId;
    }

    @Override
    public void bind(Listener l) {
        this.listener = l;
    }

    @Override
    public void sendOffer(String sdp) {
        client.sendOffer(peerId, sdp);
    }

    @Override
    public void sendAnswer(String sdp) {
        client.sendAnswer(peerId, sdp);
    }

    @Override
    public void sendCandidate(IceCandidate c) {
        client.sendCandidate(peerId, c);
    }

    /** The browser pages see a peer leave through the server's peer-left: nothing to send here. */
    @Override
    public void sendBye() {
    }

    void deliverOffer(String sdp) {
        Listener l = listener;
        if (l != null) {
            l.onOffer(sdp);
        }
    }

    void deliverAnswer(String sdp) {
        Listener l = listener;
        if (l != null) {
            l.onAnswer(sdp);
        }
    }

    void deliverCandidate(IceCandidate c) {
        Listener l = listener;
        if (l != null) {
            l.onCandidate(c);
        }
    }

    void deliverBye() {
        Listener l = listener;
        if (l != null) {
            l.onBye();
        }
    }
}
