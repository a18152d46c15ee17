package dev.packetstream.webrtc;

import dev.onvoid.webrtc.RTCPeerConnectionState;

/** A peer connection's state, as in the W3C API. */
public enum ConnectionState {
    NEW, CONNECTING, CONNECTED, DISCONNECTED, FAILED, CLOSED;

    static ConnectionState of(RTCPeerConnectionState s) {
        return switch (s) {
            case NEW -> NEW;
            case CONNECTING -> CONNECTING;
            case CONNECTED -> CONNECTED;
            case DISCONNECTED -> DISCONNECTED;
            case FAILED -> FAILED;
            case CLOSED -> CLOSED;
        };
    }
}
