package dev.packetstream.webrtc;

/** Which way an RTP stream flows, seen from this session. */
public enum StreamDirection {
    /** The peer sends, this session receives. */
    INBOUND,
    /** This session sends. */
    OUTBOUND
}
