package dev.packetstream.samples.common;

import com.fasterxml.jackson.databind.JsonNode;
import dev.packetstream.core.peer.IceCandidate;
import dev.packetstream.signaling.Joined;
import dev.packetstream.signaling.PeerInfo;
import dev.packetstream.signaling.SignalingClient;
import dev.packetstream.signaling.SignalingError;
import dev.packetstream.signaling.SignalingListener;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes one room's signaling messages to per-peer {@link PeerSignaller}s, and tells the sample
 * when peers arrive, offer, send events and leave.
 *
 * <h2>Threads</h2>
 * Every callback of {@link Peers} runs on the signaling client's event thread, one at a time, in
 * arrival order. They must not block for long: a sample hands native work (creating or closing
 * sessions) to its own executor.
 */
public final class PeerDirectory implements SignalingListener {
    private static final Logger log = LoggerFactory.getLogger(PeerDirectory.class);

    /** What a sample does with the room's peers. Every method has a no-op default. */
    public interface Peers {
        /** A peer is in the room: present when we joined, or arriving later. */
        default void peerPresent(PeerInfo peer) {
        }

        /** A peer we have no session with sent an offer: create its session now (on this thread). */
        default void unknownOffer(PeerInfo peer, String sdp) {
        }

        default void peerLeft(PeerInfo peer) {
        }

        default void event(PeerInfo from, JsonNode data) {
        }
    }

    private final String room;
    private final Map<String, PeerSignaller> signallers = new ConcurrentHashMap<>();
    private volatile Peers peers = new Peers() { };
    private volatile SignalingClient client;

    public PeerDirectory(String room) {
        this.room = room;
    }

    /** Sets who hears about peers; call before the client connects. */
    public void setPeers(Peers peers) {
        this.peers = peers;
    }

    /** The client this directory serves; call before it connects. */
    public void setClient(SignalingClient client) {
        this.client = client;
    }

    /** A signaller for {@code peerId}; the directory routes that peer's messages to it from now on. */
    public PeerSignaller signallerFor(String peerId) {
        return signallers.computeIfAbsent(peerId, id -> new PeerSignaller(client, id));
    }

    /** Stops routing to {@code peerId}. */
    public void forget(String peerId) {
        signallers.remove(peerId);
    }

    @Override
    public void onJoined(Joined joined) {
        log.debug("joined room '{}' as {} ({} peer(s) present)", room, joined.selfId(), joined.peers().size());
        for (PeerInfo p : joined.peers()) {
            peers.peerPresent(p);
        }
    }

    @Override
    public void onPeerJoined(PeerInfo peer) {
        peers.peerPresent(peer);
    }

    @Override
    public void onPeerLeft(PeerInfo peer) {
        PeerSignaller s = signallers.remove(peer.id());
        if (s != null) {
            s.deliverBye();
        }
        peers.peerLeft(peer);
    }

    @Override
    public void onOffer(PeerInfo from, String sdp) {
        if (!signallers.containsKey(from.id())) {
            peers.unknownOffer(from, sdp);
        }
        PeerSignaller s = signallers.get(from.id());
        if (s != null) {
            s.deliverOffer(sdp);
        } else {
            log.warn("room '{}': ignoring an offer from {} ({}): no session was made for it", room, from.id(), from.role());
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
    public void onEvent(PeerInfo from, JsonNode data, boolean toRoom) {
        peers.event(from, data);
    }

    @Override
    public void onError(SignalingError error) {
        log.warn("room '{}': the signaling server refused a message: {}", room, error);
    }

    @Override
    public void onDisconnected(int statusCode, String reason, boolean reconnecting) {
        log.warn("room '{}': signaling connection closed ({} {}){}", room, statusCode, reason,
                reconnecting ? "; reconnecting" : "");
    }
}
