package dev.packetstream.samples.common;

import dev.packetstream.signaling.SignalingClient;
import dev.packetstream.webrtc.IceCandidate;
import dev.packetstream.webrtc.Signaller;

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
        client.sendCandidate(peerId, new dev.packetstream.signaling.IceCandidate(c.candidate(), c.sdpMid(), c.sdpMLineIndex()));
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

    void deliverCandidate(dev.packetstream.signaling.IceCandidate c) {
        Listener l = listener;
        // An empty candidate marks the end of candidates: libwebrtc needs no notice of it.
        if (l != null && c.candidate() != null && !c.candidate().isBlank()) {
            l.onCandidate(new IceCandidate(c.sdpMid() == null ? "" : c.sdpMid(),
                    c.sdpMLineIndex() == null ? 0 : c.sdpMLineIndex(), c.candidate()));
        }
    }

    void deliverBye() {
        Listener l = listener;
        if (l != null) {
            l.onBye();
        }
    }
}
