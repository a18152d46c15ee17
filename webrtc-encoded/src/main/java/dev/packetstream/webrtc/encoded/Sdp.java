package dev.packetstream.webrtc.encoded;

import dev.packetstream.core.peer.IceCandidate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reading SDP text: its media sections, what an answer agreed to, where a candidate goes. */
final class Sdp {
    private Sdp() {
    }

    /** One media section: its kind, port (0 = rejected), mid and the encoding names of its payload types. */
    record Section(String kind, int port, String mid, List<String> encodings) {
    }

    static List<Section> sections(String sdp) {
        List<Section> out = new ArrayList<>();
        String kind = null;
        int port = 0;
        String mid = null;
        List<String> enc = new ArrayList<>();
        for (String line : sdp.split("\r?\n")) {
            if (line.startsWith("m=")) {
                if (kind != null) {
                    out.add(new Section(kind, port, mid, List.copyOf(enc)));
                }
                String[] f = line.substring(2).split(" ");
                kind = f[0];
                port = f.length > 1 ? parsePort(f[1]) : 0;
                mid = null;
                enc.clear();
            } else if (kind != null && line.startsWith("a=mid:")) {
                mid = line.substring(6).trim();
            } else if (kind != null && line.startsWith("a=rtpmap:")) {
                String[] f = line.split(" ", 2);
                if (f.length == 2) {
                    enc.add(f[1].split("/")[0].toUpperCase(Locale.ROOT));
                }
            }
        }
        if (kind != null) {
            out.add(new Section(kind, port, mid, List.copyOf(enc)));
        }
        return out;
    }

    private static int parsePort(String s) {
        try {
            return Integer.parseInt(s.split("/")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The media section a candidate belongs to; throws when the description has none such. */
    static int sectionIndex(String session, IceCandidate c, String remoteSdp) {
        List<Section> s = sections(remoteSdp);
        List<String> mids = s.stream().map(Section::mid).toList();
        if (c.sdpMLineIndex() != null && c.sdpMLineIndex() < s.size()
                && (c.sdpMid() == null || c.sdpMid().equals(mids.get(c.sdpMLineIndex())))) {
            return c.sdpMLineIndex();
        }
        if (c.sdpMid() != null && mids.contains(c.sdpMid())) {
            return mids.indexOf(c.sdpMid());
        }
        throw new IllegalArgumentException("session '" + session + "': remote candidate for an unknown m-line (sdpMid '"
                + c.sdpMid() + "', sdpMLineIndex " + c.sdpMLineIndex() + "); the remote description has mids " + mids
                + ". The candidate belongs to another session or description: check the signaling routing");
    }

    /**
     * {@code sdp} with {@code a=ptime:<millis>} at the end of each audio section (replacing one it
     * had): the packet duration its sender is asked for.
     */
    static String withAudioPacketTime(String sdp, long millis) {
        String eol = sdp.contains("\r\n") ? "\r\n" : "\n";
        StringBuilder out = new StringBuilder(sdp.length() + 32);
        boolean audio = false;
        for (String line : sdp.split("\r?\n")) {
            if (line.startsWith("m=")) {
                if (audio) {
                    out.append("a=ptime:").append(millis).append(eol);
                }
                audio = line.startsWith("m=audio");
            } else if (audio && line.startsWith("a=ptime:")) {
                continue;
            }
            out.append(line).append(eol);
        }
        if (audio) {
            out.append("a=ptime:").append(millis).append(eol);
        }
        return out.toString();
    }

    /** The candidate line as webrtcbin wants it: {@code candidate:...} without {@code a=}. */
    static String candidateLine(IceCandidate c) {
        return c.candidate().startsWith("a=") ? c.candidate().substring(2) : c.candidate();
    }
}
