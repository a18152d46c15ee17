package dev.packetstream.webrtc;

import dev.onvoid.webrtc.RTCStats;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.RTCStatsType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns libwebrtc's stats report (maps of attributes by W3C name) into a {@link SessionStats}.
 * Keeps the previous byte counts per stream to compute bitrates. Used on the session's event
 * thread only.
 */
final class StatsCollector {
    private final String session;
    private final Map<String, long[]> previous = new HashMap<>(); // id -> {bytes, timestampUs}

    StatsCollector(String session) {
        this.session = session;
    }

    SessionStats parse(RTCStatsReport report) {
        Map<String, RTCStats> all = report.getStats();
        List<RtpStreamStats> streams = new ArrayList<>();
        double rtt = -1;
        Map<String, Long> remoteLost = new HashMap<>();
        for (RTCStats s : all.values()) {
            if (s.getType() == RTCStatsType.REMOTE_INBOUND_RTP) {
                Object local = s.getAttributes().get("localId");
                if (local != null) {
                    remoteLost.put(local.toString(), num(s, "packetsLost"));
                }
            }
            if (s.getType() == RTCStatsType.CANDIDATE_PAIR && Boolean.TRUE.equals(s.getAttributes().get("nominated"))
                    && "succeeded".equals(String.valueOf(s.getAttributes().get("state")))) {
                Object r = s.getAttributes().get("currentRoundTripTime");
                if (r instanceof Number n) {
                    rtt = n.doubleValue() * 1000;
                }
            }
        }
        for (RTCStats s : all.values()) {
            boolean out = s.getType() == RTCStatsType.OUTBOUND_RTP;
            if (!out && s.getType() != RTCStatsType.INBOUND_RTP) {
                continue;
            }
            Map<String, Object> a = s.getAttributes();
            String kindName = String.valueOf(a.getOrDefault("kind", a.getOrDefault("mediaType", "")));
            MediaKind kind = switch (kindName) {
                case "video" -> MediaKind.VIDEO;
                case "audio" -> MediaKind.AUDIO;
                default -> null;
            };
            if (kind == null) {
                continue; // RTP streams are audio or video; anything else is not reported
            }
            String codec = "";
            Object codecId = a.get("codecId");
            if (codecId != null && all.get(codecId.toString()) != null) {
                codec = String.valueOf(all.get(codecId.toString()).getAttributes().getOrDefault("mimeType", ""));
            }
            long bytes = num(s, out ? "bytesSent" : "bytesReceived");
            long ts = s.getTimestamp();
            long bitrate = 0;
            long[] prev = previous.put(s.getId(), new long[] {bytes, ts});
            if (prev != null && ts > prev[1]) {
                bitrate = (bytes - prev[0]) * 8_000_000L / (ts - prev[1]);
            }
            Object fps = a.get("framesPerSecond");
            streams.add(new RtpStreamStats(out ? StreamDirection.OUTBOUND : StreamDirection.INBOUND, kind, codec,
                    (int) num(s, "frameWidth"), (int) num(s, "frameHeight"),
                    fps instanceof Number n ? n.doubleValue() : 0, bitrate, bytes,
                    num(s, out ? "packetsSent" : "packetsReceived"),
                    out ? remoteLost.getOrDefault(s.getId(), 0L) : num(s, "packetsLost"),
                    num(s, "framesEncoded"), num(s, "framesDecoded"),
                    out && kind == MediaKind.VIDEO ? String.valueOf(a.getOrDefault("qualityLimitationReason", "")) : ""));
        }
        return new SessionStats(session, report.getTimestamp(), rtt, streams);
    }

    /**
     * Inbound streams' playout delay by kind, in ms: the stats' time (wall clock) minus
     * {@code estimatedPlayoutTimestamp} (the sender's NTP time of what plays now). It includes the
     * offset between the two machines' clocks, the same for every kind; absent before the first
     * RTCP sender report.
     */
    static Map<String, Long> playoutDelays(RTCStatsReport report) {
        Map<String, Long> out = new HashMap<>();
        for (RTCStats s : report.getStats().values()) {
            if (s.getType() != RTCStatsType.INBOUND_RTP) {
                continue;
            }
            Map<String, Object> a = s.getAttributes();
            String kind = String.valueOf(a.getOrDefault("kind", a.getOrDefault("mediaType", "")));
            if (a.get("estimatedPlayoutTimestamp") instanceof Number est && est.longValue() > 0) {
                long unixMs = est.longValue() - NTP_TO_UNIX_MS;
                out.put(kind, s.getTimestamp() / 1000 - unixMs);
            }
            if ("audio".equals(kind) && a.get("removedSamplesForAcceleration") instanceof Number removed) {
                out.put(AUDIO_CONTENT_ADJUST, removed.longValue() - num(s, "insertedSamplesForDeceleration") - num(s, "concealedSamples"));
            }
        }
        return out;
    }

    /**
     * Key of the audio samples NetEq's output holds less (positive) or more (negative) than the
     * sender's audio it played: removed to accelerate, minus inserted to decelerate, minus concealed.
     */
    static final String AUDIO_CONTENT_ADJUST = "audio-content-adjust";

    /** NTP time (from 1900) minus Unix time (from 1970), in ms. */
    private static final long NTP_TO_UNIX_MS = 2_208_988_800_000L;

    private static long num(RTCStats s, String key) {
        Object v = s.getAttributes().get(key);
        return v instanceof Number n ? n.longValue() : 0;
    }
}
