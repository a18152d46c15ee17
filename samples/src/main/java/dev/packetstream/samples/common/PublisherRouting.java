package dev.packetstream.samples.common;

import dev.packetstream.signaling.PeerInfo;
import dev.packetstream.signaling.bridge.PeerDirectory;
import dev.packetstream.signaling.bridge.PeerSignaller;
import dev.packetstream.signaling.bridge.RoomListener;

/**
 * Routes the room of a sample with one browser publisher and many viewers: viewers coming and going
 * to the viewers' side, the offer of a peer in the role {@code publisher} and every departure to
 * the publisher's side. Runs on the signaling client's thread.
 */
public final class PublisherRouting implements RoomListener {
    /** What receives a browser publisher: {@link Ingress} (decoded) or {@link EncodedPublisher}. */
    public interface Publisher {
        /** A browser publisher offers: make its receiving session (the offer is then routed to {@code signaller}). */
        void publisherOffer(PeerInfo peer, PeerSignaller signaller);

        /** A peer left: if it was the publisher, close its session. */
        void peerLeft(PeerInfo peer);
    }

    private final RoomListener viewers;
    private final Publisher publisher;

    /** @param publisher null when the sample has no browser publisher (offers are then ignored) */
    public PublisherRouting(RoomListener viewers, Publisher publisher) {
        this.viewers = viewers;
        this.publisher = publisher;
    }

    @Override
    public void peerPresent(PeerDirectory peers, PeerInfo peer) {
        viewers.peerPresent(peers, peer);
    }

    @Override
    public void unknownOffer(PeerDirectory peers, PeerInfo peer, String sdp) {
        if (publisher != null && "publisher".equals(peer.role())) {
            publisher.publisherOffer(peer, peers.signallerFor(peer.id()));
        }
    }

    @Override
    public void peerLeft(PeerDirectory peers, PeerInfo peer) {
        viewers.peerLeft(peers, peer);
        if (publisher != null) {
            publisher.peerLeft(peer);
        }
    }
}
