package dev.packetstream.signaling.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.packetstream.core.peer.IceCandidate;
import dev.packetstream.signaling.Joined;
import dev.packetstream.signaling.PeerInfo;
import dev.packetstream.signaling.SignalingClient;
import dev.packetstream.signaling.SignalingError;
import dev.packetstream.signaling.SignalingListener;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peers of one room this connection has sessions with: routes each peer's offers, answers,
 * candidates and bye to its {@link PeerSignaller}, and tells the {@link RoomListener} when peers
 * arrive, offer without a session, send events and leave.
 *
 * <h2>Routing</h2>
 * A peer is routed from {@link #signallerFor(String)} until {@link #forget(String)}, its bye, its
 * session's own bye, or its leaving the room. Messages from a peer that is not routed are dropped,
 * except an offer, which goes to {@link RoomListener#unknownOffer} first.
 *
 * <h2>Threads</h2>
 * {@link #signallerFor} and {@link #forget} may be called from any thread. Routing and every
 * {@link RoomListener} call run on the signaling client's event thread, in arrival order.
 *
 * <h2>Construction</h2>
 * A directory builds its room's {@link SignalingClient} itself (it is the client's listener), so
 * both exist fully formed before anything connects: see {@link RoomConnection#open}.
 */
public final class PeerDirectory {
    private static final Logger log = LoggerFactory.getLogger(PeerDirectory.class);

    private final RoomListener listener;
    private final SignalingClient client;
    private final Map<String, PeerSignaller> signallers = new ConcurrentHashMap<>();
    /** The other peers in the room as this connection last joined it; event thread only. */
    private final Map<String, PeerInfo> present = new java.util.LinkedHashMap<>();

    /** Builds the client from {@code client}, with this directory as its listener; nothing connects yet. */
    PeerDirectory(SignalingClient.Builder client, RoomListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        // The router only runs once the client connects, after this constructor has returned.
        this.client = Objects.requireNonNull(client, "client").listener(new Router()).build();
    }

    /** The room's name. */
    public String room() {
        return client.room();
    }

    /** The client that carries the room's messages (to send events, read the self id). */
    public SignalingClient client() {
        return client;
    }

    /**
     * The signaller for {@code peerId}, made on the first call: pass it to the peer's session. The
     * directory routes that peer's messages to it until the peer is forgotten.
     */
    public PeerSignaller signallerFor(String peerId) {
        Objects.requireNonNull(peerId, "peerId");
        return signallers.computeIfAbsent(peerId, id -> new PeerSignaller(this, client, id));
    }

    /** Stops routing {@code peerId}'s messages (its session is done); its next offer is unknown again. */
    public void forget(String peerId) {
        signallers.remove(peerId);
    }

    /** Whether {@code peerId}'s messages are routed to a signaller. */
    public boolean routes(String peerId) {
        return signallers.containsKey(peerId);
    }

    /** The ids of the peers routed now. */
    public Set<String> routedPeers() {
        return Set.copyOf(signallers.keySet());
    }

    /** Stops routing to {@code s} if it is still its peer's signaller; true if it was. */
    boolean release(PeerSignaller s) {
        return signallers.remove(s.peerId(), s);
    }

    @Override
    public String toString() {
        return "PeerDirectory[room " + room() + ", " + signallers.size() + " peer(s) routed]";
    }

    /** The client's listener: routes by sender id. */
    private final class Router implements SignalingListener {
        @Override
        public void onJoined(Joined joined) {
            log.debug("joined room '{}' as {} ({} peer(s) present)", room(), joined.selfId(), joined.peers().size());
            // Joined again after a lost connection, under a new id: the others saw the old one leave
            // and closed their sessions with it, so ours with them are over too.
            for (PeerInfo p : List.copyOf(present.values())) {
                onPeerLeft(p);
            }
            for (PeerInfo p : joined.peers()) {
                onPeerJoined(p);
            }
        }

        @Override
        public void onPeerJoined(PeerInfo peer) {
            present.put(peer.id(), peer);
            listener.peerPresent(PeerDirectory.this, peer);
        }

        @Override
        public void onPeerLeft(PeerInfo peer) {
            present.remove(peer.id());
            PeerSignaller s = signallers.remove(peer.id());
            if (s != null) {
                s.deliverBye();
            }
            listener.peerLeft(PeerDirectory.this, peer);
        }

        @Override
        public void onOffer(PeerInfo from, String sdp) {
            if (!signallers.containsKey(from.id())) {
                listener.unknownOffer(PeerDirectory.this, from, sdp);
            }
            PeerSignaller s = signallers.get(from.id());
            if (s != null) {
                s.deliverOffer(sdp);
            } else {
                log.warn("room '{}': ignoring an offer from {} ({}): no session was made for it", room(), from.id(), from.role());
            }
        }

        @Override
        public void onAnswer(PeerInfo from, String sdp) {
            PeerSignaller s = signallers.get(from.id());
            if (s != null) {
                s.deliverAnswer(sdp);
            }
        }

        @Override
        public void onCandidate(PeerInfo from, IceCandidate candidate) {
            PeerSignaller s = signallers.get(from.id());
            if (s != null) {
                s.deliverCandidate(candidate);
            }
        }

        @Override
        public void onBye(PeerInfo from) {
            PeerSignaller s = signallers.remove(from.id());
            if (s != null) {
                s.deliverBye();
            }
        }

        @Override
        public void onEvent(PeerInfo from, JsonNode data, boolean toRoom) {
            listener.event(PeerDirectory.this, from, data);
        }

        @Override
        public void onError(SignalingError error) {
            log.warn("room '{}': the signaling server refused a message: {}", room(), error);
        }

        @Override
        public void onDisconnected(int statusCode, String reason, boolean reconnecting) {
            log.warn("room '{}': signaling connection closed ({} {}){}", room(), statusCode, reason,
                    reconnecting ? "; reconnecting" : "");
            listener.disconnected(statusCode, reason, reconnecting);
        }
    }
}
