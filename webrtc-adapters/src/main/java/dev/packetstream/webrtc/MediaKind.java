package dev.packetstream.webrtc;

/** The kind of a media track. */
public enum MediaKind {
    AUDIO, VIDEO
}
