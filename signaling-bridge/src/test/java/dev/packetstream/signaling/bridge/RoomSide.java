package dev.packetstream.signaling.bridge;

import dev.packetstream.signaling.PeerInfo;
import dev.packetstream.signaling.SignalingClient;
import dev.packetstream.signaling.SignalingServer;
import dev.packetstream.webrtc.PeerSession;
import dev.packetstream.webrtc.PeerSessionConfig;
import dev.packetstream.webrtc.RtcRuntime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One side of a test room: a libwebrtc runtime and a joined {@link RoomConnection}. An offering
 * side makes a session (with a data channel) for every peer of {@code offerTo}'s role and offers;
 * an answering side accepts every unknown offer. Every session it made is kept, in order.
 */
final class RoomSide implements RoomListener, AutoCloseable {
    final String name;
    final RtcRuntime rtc;
    final RoomConnection room;
    private final String offerTo;
    final Map<String, PeerSession> sessions = new ConcurrentHashMap<>();
    final List<PeerSession> allSessions = new CopyOnWriteArrayList<>();
    final List<String> left = new CopyOnWriteArrayList<>();
    final List<String> unknownOffers = new CopyOnWriteArrayList<>();
    final Set<String> listenerThreads = ConcurrentHashMap.newKeySet();

    private RoomSide(String name, SignalingServer server, String room, String role, String offerTo) {
        this.name = name;
        this.offerTo = offerTo;
        this.rtc = new RtcRuntime(name);
        this.room = RoomConnection.open(SignalingClient.builder(server.webSocketUri()).room(room).role(role), this);
    }

    /** Joins as {@code role}, offering to every peer whose role is {@code offerTo}. */
    static RoomSide offering(String name, SignalingServer server, String room, String role, String offerTo) {
        RoomSide s = new RoomSide(name, server, room, role, offerTo);
        s.room.join();
        return s;
    }

    /** Joins as {@code role}, answering every offer. */
    static RoomSide answering(String name, SignalingServer server, String room, String role) {
        RoomSide s = new RoomSide(name, server, room, role, null);
        s.room.join();
        return s;
    }

    /** A new session to {@code peerId} with a data channel, offering. */
    PeerSession offer(PeerDirectory peers, String peerId) {
        PeerSession s = rtc.newSession(name + "-to-" + peerId.substring(0, 6), PeerSessionConfig.loopback(),
                peers.signallerFor(peerId));
        s.createDataChannel("chat");
        sessions.put(peerId, s);
        allSessions.add(s);
        s.negotiate();
        return s;
    }

    @Override
    public void peerPresent(PeerDirectory peers, PeerInfo peer) {
        listenerThreads.add(Thread.currentThread().getName());
        if (peer.role().equals(offerTo)) {
            offer(peers, peer.id());
        }
    }

    @Override
    public void unknownOffer(PeerDirectory peers, PeerInfo peer, String sdp) {
        listenerThreads.add(Thread.currentThread().getName());
        unknownOffers.add(peer.id());
        if (offerTo == null) {
            PeerSession s = rtc.newSession(name + "-from-" + peer.id().substring(0, 6), PeerSessionConfig.loopback(),
                    peers.signallerFor(peer.id()));
            sessions.put(peer.id(), s);
            allSessions.add(s);
        }
    }

    @Override
    public void peerLeft(PeerDirectory peers, PeerInfo peer) {
        listenerThreads.add(Thread.currentThread().getName());
        left.add(peer.id());
    }

    String selfId() {
        return room.client().selfId();
    }

    @Override
    public void close() {
        room.close();
        rtc.close(); // closes the sessions it made
    }
}
