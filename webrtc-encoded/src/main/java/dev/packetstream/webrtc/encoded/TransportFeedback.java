package dev.packetstream.webrtc.encoded;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Transport-wide congestion control feedback (TWCC) for what a session receives: the RTP header
 * extension that numbers every packet of the transport, which the receiving RTP session answers
 * with transport-cc RTCP feedback.
 *
 * <p>Why: a browser sizes what it sends to its bandwidth estimate. webrtcbin 1.22 answers a
 * browser's offer with {@code a=rtcp-fb:* transport-cc} but without the header extension (it
 * takes extensions only from the transceiver's codec preferences), so the browser has no
 * transport-wide sequence numbers to estimate from, falls back to its slow loss-based estimate and
 * sends a fraction of its camera's resolution for half a minute (measured on 2 Dec 2026: 640x360
 * of a 1280x720 camera for 16 s, 1280x720 only after 32 s). With the extension in the receive
 * transceiver's caps the answer carries it, rtpbin sends the feedback, and the browser's estimate
 * ramps up within seconds.
 *
 * <p>The extension's id must be the one the peer's offer uses (an answer cannot renumber it), so
 * {@link #extensionId} reads it from the offer; a session's own offers use {@link #DEFAULT_ID}
 * (Chromium's number for it).
 */
final class TransportFeedback {
    static final String URI = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    /** The id a session's own offers give the extension. */
    static final int DEFAULT_ID = 3;
    /** No extension: the peer's offer has none. */
    static final int NONE = -1;

    private static final Pattern EXTMAP = Pattern.compile("^a=extmap:(\\d+)(?:/\\S+)? (\\S+)", Pattern.MULTILINE);

    private TransportFeedback() {
    }

    /** The id of the transport-wide sequence number extension in {@code sdp}, or {@link #NONE}. */
    static int extensionId(String sdp) {
        Matcher m = EXTMAP.matcher(sdp);
        while (m.find()) {
            if (m.group(2).equals(URI)) {
                return Integer.parseInt(m.group(1));
            }
        }
        return NONE;
    }

    /**
     * {@code caps} (one or more structures separated by ';') with transport-cc feedback and the
     * extension at {@code id} in every structure; {@code caps} as they are for {@link #NONE}.
     */
    static String withFeedback(String caps, int id) {
        if (id == NONE) {
            return caps;
        }
        String fields = ",rtcp-fb-transport-cc=(boolean)true,extmap-" + id + "=(string)\"" + URI + "\"";
        StringBuilder b = new StringBuilder();
        for (String structure : caps.split(";")) {
            if (b.length() > 0) {
                b.append(';');
            }
            b.append(structure).append(fields);
        }
        return b.toString();
    }
}
