package dev.packetstream.signaling.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.packetstream.signaling.PeerInfo;

/**
 * What an application does with the other peers of a room: make a peer session for a peer (with
 * {@link PeerDirectory#signallerFor(String)}), close it when the peer leaves, react to events.
 * Every method has a no-op default.
 *
 * <h2>Threads</h2>
 * Every method runs on the signaling client's event thread, one at a time, in arrival order. A
 * method may create a peer session there (creating one is quick); native work that may block
 * (closing sessions, starting streams) belongs on the application's own executor, since the
 * client's thread also carries every other peer's messages.
 */
public interface RoomListener {

    /**
     * A peer is in the room: one already present when this connection joined (or joined again after
     * a reconnection), or one arriving later.
     */
    default void peerPresent(PeerDirectory peers, PeerInfo peer) {
    }

    /**
     * A peer that has no signaller sent an offer. To accept it, create the peer's session here, on
     * this thread, with {@code peers.signallerFor(peer.id())}: the offer is delivered to that
     * session as soon as this method returns. If no signaller exists then, the offer is logged and
     * ignored.
     */
    default void unknownOffer(PeerDirectory peers, PeerInfo peer, String sdp) {
    }

    /**
     * A peer left the room, or this connection joined it again after a lost connection (under a new
     * id: every peer present before is reported gone, then present again). Its signaller, if it had
     * one, was forgotten and told bye first, so its session is already closing.
     */
    default void peerLeft(PeerDirectory peers, PeerInfo peer) {
    }

    /** An application event from a peer, sent to this peer or to the whole room. */
    default void event(PeerDirectory peers, PeerInfo from, JsonNode data) {
    }

    /**
     * The connection to the server was lost. With {@code reconnecting}, the client joins the room
     * again by itself, under a new id (the others see this peer leave and a new one join); on that
     * join, every peer present before gets {@link #peerLeft}, then {@link #peerPresent}.
     */
    default void disconnected(int statusCode, String reason, boolean reconnecting) {
    }
}
