package dev.packetstream.webrtc;

/**
 * An ICE candidate as signaling carries it: the media section's id ({@code sdpMid}), its index in
 * the SDP ({@code sdpMLineIndex}), and the candidate line ({@code candidate:...}).
 */
public record IceCandidate(String sdpMid, int sdpMLineIndex, String candidate) {
    public IceCandidate {
        if (candidate == null || candidate.isBlank()) {
            throw new IllegalArgumentException("an ICE candidate needs its candidate line, was " + candidate);
        }
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
