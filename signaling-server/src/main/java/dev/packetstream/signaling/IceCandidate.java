package dev.packetstream.signaling;

import java.util.Objects;

/**
 * An ICE candidate as the browser's {@code RTCIceCandidateInit}: an empty {@code candidate} marks
 * the end of candidates.
 *
 * @param sdpMid        may be null
 * @param sdpMLineIndex may be null
 */
public record IceCandidate(String candidate, String sdpMid, Integer sdpMLineIndex) {
    public IceCandidate {
        Objects.requireNonNull(candidate, "candidate (use \"\" for end of candidates)");
    }
}
