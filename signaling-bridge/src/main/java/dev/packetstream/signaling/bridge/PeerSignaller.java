package dev.packetstream.signaling.bridge;

import dev.packetstream.core.peer.IceCandidate;
import dev.packetstream.core.peer.Signaller;
import dev.packetstream.signaling.SignalingClient;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Signaller} of one peer session with one remote peer of a room: what the session
 * sends is addressed to that peer's id through the room's {@link SignalingClient}, and what the
 * peer sends is handed to the session by the {@link PeerDirectory} that routes the room's messages.
 * Made by {@link PeerDirectory#signallerFor(String)}; serves one session.
 *
 * <h2>Threads</h2>
 * The send methods only queue on the client: they never block, and a send that fails (the client
 * is reconnecting or closed) is logged at debug and dropped, as a lost datagram would be. The
 * session's listener is called on the client's event thread; the sessions hop to their own event
 * thread before acting.
 *
 * <h2>Bye</h2>
 * {@link #sendBye()} (the session is closing) tells the peer and stops routing its messages to this
 * signaller, so that a later offer from the same peer reaches {@link RoomListener#unknownOffer}
 * again. It sends nothing if the directory no longer routes the peer here: a session closed
 * because its peer left or said bye sends nothing back.
 */
public final class PeerSignaller implements Signaller {
    private static final Logger log = LoggerFactory.getLogger(PeerSignaller.class);

    private final PeerDirectory directory;
    private final SignalingClient client;
    private final String peerId;
    private volatile Listener listener;

    PeerSignaller(PeerDirectory directory, SignalingClient client, String peerId) {
        this.directory = directory;
        this.client = client;
        this.peerId = peerId;
    }

    /** The remote peer's id in the room. */
    public String peerId() {
        return peerId;
    }

    /**
     * @throws IllegalStateException if a session is already bound: one signaller serves one
     *                               session (after {@link PeerDirectory#forget}, ask for a new one)
     */
    @Override
    public synchronized void bind(Listener l) {
        if (listener != null) {
            throw new IllegalStateException("the signaller for peer " + peerId + " in room '" + directory.room()
                    + "' already serves a session: forget the peer, then ask signallerFor(...) again for a new session");
        }
        this.listener = java.util.Objects.requireNonNull(l, "listener");
    }

    @Override
    public void sendOffer(String sdp) {
        logFailure("offer", client.sendOffer(peerId, sdp));
    }

    @Override
    public void sendAnswer(String sdp) {
        logFailure("answer", client.sendAnswer(peerId, sdp));
    }

    @Override
    public void sendCandidate(IceCandidate c) {
        logFailure("candidate", client.sendCandidate(peerId, c));
    }

    @Override
    public void sendBye() {
        if (directory.release(this)) {
            logFailure("bye", client.sendBye(peerId));
        }
    }

    private void logFailure(String what, CompletableFuture<Void> sent) {
        sent.whenComplete((v, e) -> {
            if (e != null) {
                log.debug("room '{}': {} to peer {} not sent: {}", directory.room(), what, peerId, e.toString());
            }
        });
    }

    void deliverOffer(String sdp) {
        Listener l = boundListener("offer");
        if (l != null) {
            l.onOffer(sdp);
        }
    }

    void deliverAnswer(String sdp) {
        Listener l = boundListener("answer");
        if (l != null) {
            l.onAnswer(sdp);
        }
    }

    void deliverCandidate(IceCandidate c) {
        Listener l = boundListener("candidate");
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

    private Listener boundListener(String what) {
        Listener l = listener;
        if (l == null) {
            log.debug("room '{}': {} from peer {} dropped: no session is bound to its signaller yet", directory.room(), what, peerId);
        }
        return l;
    }

    @Override
    public String toString() {
        return "PeerSignaller[room " + directory.room() + ", peer " + peerId + "]";
    }
}
