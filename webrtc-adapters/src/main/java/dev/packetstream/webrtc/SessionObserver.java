package dev.packetstream.webrtc;

import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.packetstream.core.peer.IceCandidate;

/**
 * A session's libwebrtc callbacks. They all arrive on the factory's signaling thread, where
 * blocking deadlocks: each is handed to the session's event thread (a remote data channel
 * registers its observer first, there and then, so that no message is missed).
 */
final class SessionObserver implements PeerConnectionObserver {
    private final PeerSession session;

    /** The session's parts are read at each callback: libwebrtc calls none before the session is built. */
    SessionObserver(PeerSession session) {
        this.session = session;
    }

    @Override
    public void onIceCandidate(RTCIceCandidate c) {
        session.events().execute(() -> {
            if (!session.isClosed()) {
                session.negotiation().localCandidate(new IceCandidate(c.sdpMid, c.sdpMLineIndex, c.sdp));
            }
        });
    }

    @Override
    public void onConnectionChange(RTCPeerConnectionState s) {
        session.events().execute(() -> session.connectionChanged(ConnectionState.of(s)));
    }

    @Override
    public void onTrack(RTCRtpTransceiver transceiver) {
        MediaStreamTrack track = transceiver.getReceiver().getTrack();
        session.events().execute(() -> {
            if (!session.isClosed()) {
                session.transceivers().remoteTrack(track);
            }
        });
    }

    @Override
    public void onDataChannel(RTCDataChannel channel) {
        session.transceivers().remoteChannelOpened(channel);
    }
}
