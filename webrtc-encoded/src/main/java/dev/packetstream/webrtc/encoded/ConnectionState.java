package dev.packetstream.webrtc.encoded;

/** A peer connection's state, as in the W3C API (webrtcbin's {@code connection-state}). */
public enum ConnectionState {
    NEW, CONNECTING, CONNECTED, DISCONNECTED, FAILED, CLOSED
}
