package dev.packetstream.core.peer;

import java.util.Objects;

/**
 * An ICE candidate as signaling carries it, shaped like the browser's {@code RTCIceCandidateInit}:
 * the media section's id ({@code sdpMid}), its index in the SDP ({@code sdpMLineIndex}) and the
 * candidate line ({@code candidate:...}). One type for every side: the signaling client, the
 * libwebrtc sessions and the GStreamer sessions.
 *
 * <p>An empty {@code candidate} is the browser's end-of-candidates marker
 * ({@link #isEndOfCandidates()}); peer sessions ignore it.
 *
 * @param sdpMid        the media section's id; {@code null} when the sender gave only an index
 * @param sdpMLineIndex the media section's index; {@code null} when the sender gave only an id
 * @param candidate     the candidate line, or {@code ""} for end of candidates; never null
 */
public record IceCandidate(String sdpMid, Integer sdpMLineIndex, String candidate) {
    public IceCandidate {
        Objects.requireNonNull(candidate, "candidate line (use \"\" for end of candidates)");
        if (sdpMLineIndex != null && sdpMLineIndex < 0) {
            throw new IllegalArgumentException("sdpMLineIndex must be 0 or more, was " + sdpMLineIndex);
        }
    }

    /** The end-of-candidates marker for a media section. */
    public static IceCandidate endOfCandidates(String sdpMid, Integer sdpMLineIndex) {
        return new IceCandidate(sdpMid, sdpMLineIndex, "");
    }

    /** True for the browser's end-of-candidates marker (a blank candidate line). */
    public boolean isEndOfCandidates() {
        return candidate.isBlank();
    }

    /** The candidate's connection address (the fifth field of the candidate line), or "" if malformed. */
    public String address() {
        String[] f = fields();
        return f.length > 4 ? f[4] : "";
    }

    /** The candidate type ({@code host}, {@code srflx}, {@code relay}, {@code prflx}), or "" if malformed. */
    public String type() {
        String[] f = fields();
        for (int i = 0; i + 1 < f.length; i++) {
            if (f[i].equals("typ")) {
                return f[i + 1];
            }
        }
        return "";
    }

    /** The same candidate with its connection address replaced (e.g. by 127.0.0.1). */
    public IceCandidate withAddress(String address) {
        String[] f = fields();
        if (f.length <= 4) {
            return this;
        }
        f[4] = address;
        String line = String.join(" ", f);
        return new IceCandidate(sdpMid, sdpMLineIndex, candidate.startsWith("a=") ? "a=" + line : line);
    }

    private String[] fields() {
        String c = candidate.startsWith("a=") ? candidate.substring(2) : candidate;
        return c.trim().split("\\s+");
    }
}
