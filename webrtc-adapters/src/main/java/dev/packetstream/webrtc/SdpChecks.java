package dev.packetstream.webrtc;

import dev.packetstream.core.peer.IceCandidate;
import java.util.ArrayList;
import java.util.List;

/** Cheap checks of SDP and candidates before libwebrtc sees them (it fails silently on some). */
final class SdpChecks {
    private SdpChecks() {
    }

    /** Throws when {@code sdp} is obviously not an SDP session description. */
    static void requireSdp(String session, String what, String sdp) {
        if (sdp == null || !sdp.startsWith("v=0") || !sdp.contains("\nm=") && !sdp.contains("\rm=")) {
            String start = sdp == null ? "null" : "'" + sdp.substring(0, Math.min(20, sdp.length())).replace("\n", "\\n") + "'";
            throw new IllegalArgumentException("session '" + session + "': the " + what
                    + " is not an SDP session description (it must start with v=0 and have m= lines; it starts with "
                    + start + "); check what the signaling transport delivers");
        }
    }

    /** The mids of the SDP's media sections, in order (null where a section has none). */
    static List<String> mids(String sdp) {
        List<String> mids = new ArrayList<>();
        for (String line : sdp.split("\r?\n")) {
            if (line.startsWith("m=")) {
                mids.add(null);
            } else if (line.startsWith("a=mid:") && !mids.isEmpty()) {
                mids.set(mids.size() - 1, line.substring(6).trim());
            }
        }
        return mids;
    }

    /**
     * The index of the media section the candidate belongs to: its {@code sdpMLineIndex}, or the
     * index of its {@code sdpMid} when the sender gave only that. Throws when the description has
     * no such section.
     */
    static int sectionIndex(String session, IceCandidate c, String remoteSdp) {
        List<String> mids = mids(remoteSdp);
        boolean midKnown = c.sdpMid() != null && mids.contains(c.sdpMid());
        boolean indexKnown = c.sdpMLineIndex() != null && c.sdpMLineIndex() < mids.size();
        if (midKnown) {
            return c.sdpMLineIndex() != null ? c.sdpMLineIndex() : mids.indexOf(c.sdpMid());
        }
        if (c.sdpMid() != null || !indexKnown) {
            throw new IllegalArgumentException("session '" + session + "': remote candidate for an unknown m-line (sdpMid '"
                    + c.sdpMid() + "', sdpMLineIndex " + c.sdpMLineIndex() + "); the remote description has mids " + mids
                    + ". The candidate belongs to another session or description: check the signaling routing");
        }
        return c.sdpMLineIndex();
    }

    /** Throws when the candidate line is not an ICE candidate. */
    static void requireCandidate(String session, IceCandidate c) {
        String line = c.candidate().startsWith("a=") ? c.candidate().substring(2) : c.candidate();
        if (!line.startsWith("candidate:") || line.trim().split("\\s+").length < 8) {
            throw new IllegalArgumentException("session '" + session + "': '" + c.candidate()
                    + "' is not an ICE candidate line (candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type>)");
        }
    }
}
