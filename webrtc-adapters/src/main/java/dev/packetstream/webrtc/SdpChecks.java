package dev.packetstream.webrtc;

import dev.packetstream.core.peer.IceCandidate;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a remote candidate goes in the remote description (libwebrtc fails silently on a wrong
 * one). The checks of SDP and candidate lines themselves are the shared {@code OfferAnswer}'s.
 */
final class SdpChecks {
    private SdpChecks() {
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
}
