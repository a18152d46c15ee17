package dev.packetstream.samples.wire;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The relay's offer as a load viewer reads it, and the viewer's answer: the same m-lines, mids and
 * BUNDLE group, recvonly, rtcp-mux, one video payload type (VP8, else H.264 with
 * packetization-mode=1, else any H.264) and Opus; {@code a=ice-lite} with our ufrag and password,
 * {@code a=setup:active} (we are the DTLS client), our certificate's fingerprint and one host
 * candidate on 127.0.0.1. No RTX, FEC or header extensions; of RTCP feedback only PLI (a viewer
 * asks for a keyframe until it has one), never a retransmission.
 */
final class AnswerSdp {
    /** One m-section of the offer. */
    record Section(String kind, String mid, String protocol, int payloadType, String rtpmap) {
        boolean rejected() {
            return payloadType < 0;
        }
    }

    /** What a viewer needs of an offer. */
    record Offer(List<Section> sections, String fingerprint, int videoPayloadType, String videoCodec, int audioPayloadType) {
    }

    private AnswerSdp() {
    }

    static Offer parse(String sdp) {
        List<Section> sections = new ArrayList<>();
        String fingerprint = null;
        String kind = null;
        String mid = null;
        String protocol = null;
        Map<Integer, String> rtpmaps = new LinkedHashMap<>();
        Map<Integer, String> fmtps = new LinkedHashMap<>();
        for (String raw : (sdp + "\nm=end 0 x 0").split("\r?\n")) {
            String line = raw.trim();
            if (line.startsWith("m=")) {
                if (kind != null) {
                    sections.add(choose(kind, mid, protocol, rtpmaps, fmtps));
                }
                String[] f = line.substring(2).split(" ");
                kind = f[0];
                protocol = f.length > 2 ? f[2] : "";
                mid = null;
                rtpmaps.clear();
                fmtps.clear();
                if (kind.equals("end")) {
                    break;
                }
            } else if (line.startsWith("a=mid:")) {
                mid = line.substring(6);
            } else if (line.startsWith("a=rtpmap:")) {
                String[] f = line.substring(9).split(" ", 2);
                rtpmaps.put(Integer.parseInt(f[0]), f.length > 1 ? f[1] : "");
            } else if (line.startsWith("a=fmtp:")) {
                String[] f = line.substring(7).split(" ", 2);
                fmtps.put(Integer.parseInt(f[0]), f.length > 1 ? f[1] : "");
            } else if (line.startsWith("a=fingerprint:sha-256 ") && fingerprint == null) {
                fingerprint = line.substring("a=fingerprint:sha-256 ".length()).trim();
            }
        }
        if (fingerprint == null) {
            throw new IllegalArgumentException("the offer has no a=fingerprint:sha-256 line:\n" + sdp);
        }
        int video = -1;
        String videoCodec = null;
        int audio = -1;
        for (Section s : sections) {
            if (s.kind().equals("video") && video < 0 && !s.rejected()) {
                video = s.payloadType();
                videoCodec = s.rtpmap().split("/")[0].toUpperCase(Locale.ROOT);
            } else if (s.kind().equals("audio") && audio < 0 && !s.rejected()) {
                audio = s.payloadType();
            }
        }
        if (video < 0) {
            throw new IllegalArgumentException("the offer has no VP8 or H.264 video a load viewer can read:\n" + sdp);
        }
        return new Offer(List.copyOf(sections), fingerprint, video, videoCodec, audio);
    }

    private static Section choose(String kind, String mid, String protocol, Map<Integer, String> rtpmaps, Map<Integer, String> fmtps) {
        int best = -1;
        int bestRank = Integer.MAX_VALUE;
        for (Map.Entry<Integer, String> e : rtpmaps.entrySet()) {
            String codec = e.getValue().split("/")[0].toUpperCase(Locale.ROOT);
            String fmtp = fmtps.getOrDefault(e.getKey(), "");
            int rank;
            if (kind.equals("video")) {
                rank = codec.equals("VP8") ? 0 : codec.equals("H264") ? (fmtp.contains("packetization-mode=1") ? 1 : 2) : -1;
            } else if (kind.equals("audio")) {
                rank = codec.equals("OPUS") ? 0 : -1;
            } else {
                rank = -1;
            }
            if (rank >= 0 && rank < bestRank) {
                best = e.getKey();
                bestRank = rank;
            }
        }
        if (mid == null) {
            throw new IllegalArgumentException("an m=" + kind + " section of the offer has no a=mid (load viewers need BUNDLE)");
        }
        return new Section(kind, mid, protocol, best, best < 0 ? "" : rtpmaps.get(best));
    }

    /** The answer of a viewer whose socket is on 127.0.0.1:{@code port}. */
    static String answer(Offer offer, String ufrag, String password, String fingerprint, int port, long sessionId) {
        StringBuilder b = new StringBuilder();
        b.append("v=0\r\n").append("o=- ").append(sessionId).append(" 2 IN IP4 127.0.0.1\r\n").append("s=-\r\n").append("t=0 0\r\n");
        b.append("a=ice-lite\r\n");
        b.append("a=group:BUNDLE");
        for (Section s : offer.sections()) {
            if (!s.rejected()) {
                b.append(' ').append(s.mid());
            }
        }
        b.append("\r\n");
        boolean first = true;
        for (Section s : offer.sections()) {
            if (s.rejected()) {
                b.append("m=").append(s.kind()).append(" 0 ").append(s.protocol()).append(" 0\r\n");
                b.append("a=mid:").append(s.mid()).append("\r\n").append("a=inactive\r\n");
                continue;
            }
            b.append("m=").append(s.kind()).append(" 9 ").append(s.protocol()).append(' ').append(s.payloadType()).append("\r\n");
            b.append("c=IN IP4 127.0.0.1\r\n");
            b.append("a=mid:").append(s.mid()).append("\r\n");
            b.append("a=recvonly\r\n");
            b.append("a=rtcp-mux\r\n");
            b.append("a=rtpmap:").append(s.payloadType()).append(' ').append(s.rtpmap()).append("\r\n");
            if (s.kind().equals("video")) {
                b.append("a=rtcp-fb:").append(s.payloadType()).append(" nack pli\r\n");
            }
            if (s.rtpmap().toUpperCase(Locale.ROOT).startsWith("H264")) {
                b.append("a=fmtp:").append(s.payloadType()).append(" packetization-mode=1;level-asymmetry-allowed=1;profile-level-id=42e01f\r\n");
            }
            b.append("a=ice-ufrag:").append(ufrag).append("\r\n");
            b.append("a=ice-pwd:").append(password).append("\r\n");
            b.append("a=fingerprint:sha-256 ").append(fingerprint).append("\r\n");
            b.append("a=setup:active\r\n");
            if (first) {
                b.append("a=").append(candidate(port)).append("\r\n");
                b.append("a=end-of-candidates\r\n");
                first = false;
            }
        }
        return b.toString();
    }

    /** The viewer's one host candidate. */
    static String candidate(int port) {
        return "candidate:1 1 UDP 2130706431 127.0.0.1 " + port + " typ host";
    }
}
