package dev.packetstream.webrtc.encoded;

/** The kind of a media track. */
public enum MediaKind {
    VIDEO, AUDIO
}
