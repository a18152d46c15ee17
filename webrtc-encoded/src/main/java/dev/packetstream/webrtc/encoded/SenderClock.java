package dev.packetstream.webrtc.encoded;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the streams of one receiver on the sender's clock: each buffer's time is the NTP time the
 * peer's RTCP sender reports give its RTP time stamp (GStreamer's jitter buffer maps it, from the
 * latest report of that SSRC, onto a {@code timestamp/x-ntp} reference-timestamp meta), shifted
 * by one constant for all the receiver's streams so that the times stay near the pipeline's
 * running time. A browser stamps all its streams on one NTP clock, so audio and video line up as
 * the sender captured them, and the ~6.5 ms steps rtpbin's own lip-sync makes now and then (by
 * moving a jitter buffer's offset) do not reach the packets.
 *
 * <h2>Before the first sender reports</h2>
 * Until every stream seen so far has had a report, each buffer keeps the jitter buffer's time
 * (rtpbin's lip-synced running time, what was used before). When the last of them gets one, the
 * constant shift is chosen as the smallest of the streams' (NTP − running time) differences, so
 * that no stream's time moves backwards at the switch: each moves forward by its own difference
 * minus that smallest one (a few milliseconds, measured: rtpbin's lip-sync was that close). A
 * stream that first appears after the switch keeps its jitter-buffer time until its first report,
 * then moves by its difference minus the shift (either way, a few milliseconds).
 *
 * <h2>Threads</h2>
 * Each stream's {@link Stream#stampNs} is called on that stream's streaming thread; the shared
 * state is guarded by this object's lock (a few field reads and writes per buffer).
 */
final class SenderClock {
    private static final Logger log = LoggerFactory.getLogger(SenderClock.class);
    /** A stream's shift is logged again when it moved by this much (rtpbin's lip-sync steps are ~6.5 ms). */
    private static final long LOG_STEP_NS = 1_000_000;
    /** Marks "none" for GStreamer clock times. */
    static final long NONE = -1;

    private final String owner;
    private final List<Stream> streams = new ArrayList<>();
    private boolean onSenderClock;
    /** NTP time minus the time given out, the same for every stream once {@link #onSenderClock}. */
    private long shiftNs;

    /** {@code owner} names the receiver in log lines. */
    SenderClock(String owner) {
        this.owner = owner;
    }

    /** A new stream of this receiver (one per remote RTP stream). */
    synchronized Stream stream(String label) {
        Stream s = new Stream(label);
        streams.add(s);
        return s;
    }

    /** Whether the streams are on the sender's clock (every stream seen so far has had a sender report). */
    synchronized boolean onSenderClock() {
        return onSenderClock;
    }

    private synchronized long stamp(Stream s, long runningNs, long ntpNs) {
        s.seen = true;
        if (ntpNs != NONE) {
            s.ntpMinusRunningNs = ntpNs - runningNs;
            s.mapped = true;
        }
        if (!onSenderClock && streams.stream().allMatch(t -> t.mapped || !t.seen)) {
            shiftNs = streams.stream().filter(t -> t.mapped).mapToLong(t -> t.ntpMinusRunningNs).min().orElseThrow();
            onSenderClock = true;
            for (Stream t : streams) {
                if (t.mapped) {
                    log.info("{} stream {}: on the sender's clock from its RTCP sender reports, {} ms later than rtpbin's lip-synced time",
                            owner, t.label, String.format(java.util.Locale.ROOT, "%+.1f", (t.ntpMinusRunningNs - shiftNs) / 1e6));
                    t.loggedNs = t.ntpMinusRunningNs;
                }
            }
        }
        if (!onSenderClock || !s.mapped) {
            return runningNs;
        }
        if (Math.abs(s.ntpMinusRunningNs - s.loggedNs) >= LOG_STEP_NS) {
            log.info("{} stream {}: rtpbin's lip-synced time moved; on the sender's clock it is now {} ms later than that",
                    owner, s.label, String.format(java.util.Locale.ROOT, "%+.1f", (s.ntpMinusRunningNs - shiftNs) / 1e6));
            s.loggedNs = s.ntpMinusRunningNs;
        }
        return runningNs + s.ntpMinusRunningNs - shiftNs;
    }

    /** One remote stream's view of the clock. */
    final class Stream {
        private final String label;
        private boolean seen;
        private boolean mapped;
        /** The latest buffer's NTP time minus its running time (valid when {@link #mapped}). */
        private long ntpMinusRunningNs;
        private long loggedNs;

        private Stream(String label) {
            this.label = label;
        }

        /**
         * The time (nanoseconds, on the receiver's timeline) of a buffer with jitter-buffer time
         * {@code runningNs} and sender NTP time {@code ntpNs} ({@link SenderClock#NONE} when no
         * sender report has come yet).
         */
        long stampNs(long runningNs, long ntpNs) {
            return stamp(this, runningNs, ntpNs);
        }
    }
}
