package dev.packetstream.samples.common;

import dev.packetstream.core.Packet;
import dev.packetstream.core.PacketStream;
import dev.packetstream.signaling.bridge.PeerSignaller;
import dev.packetstream.webrtc.PeerSession;
import dev.packetstream.webrtc.PeerSessionConfig;
import dev.packetstream.webrtc.RtcRuntime;
import dev.packetstream.webrtc.RtpStreamStats;
import dev.packetstream.webrtc.SessionStats;
import dev.packetstream.webrtc.WebRtcTrackSender;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One viewer page: a {@link PeerSession} offering to it, a {@link WebRtcTrackSender} that pushes
 * the raw frames, and the small stream {@code viewer-<id>} the sender runs in, so that each viewer
 * has its own lifecycle and joins or leaves without touching the others' streams.
 *
 * <h2>Ownership</h2>
 * {@link #write(Packet)} lends the packet for the call; the sender copies video once into
 * libwebrtc's native buffer and audio into the runtime's audio queue.
 *
 * <h2>Threads</h2>
 * {@link #write} runs on the fan-out's thread (the capture or decoder thread); {@link #open} and
 * {@link #close} on the sample's control thread. With {@code ownRuntime}, the link owns an
 * {@link RtcRuntime} of its own (one audio sender per runtime: a viewer that gets audio needs one)
 * and closes it last.
 */
public final class ViewerLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ViewerLink.class);

    private final String peerId;
    private final RtcRuntime runtime;
    private final boolean ownsRuntime;
    private final PeerSession session;
    private final WebRtcTrackSender sender;
    private final PacketStream stream;
    private final long openedAtNanos = System.nanoTime();
    private volatile SessionStats lastStats;

    private ViewerLink(String peerId, RtcRuntime runtime, boolean ownsRuntime, PeerSession session, WebRtcTrackSender sender,
                       PacketStream stream) {
        this.peerId = peerId;
        this.runtime = runtime;
        this.ownsRuntime = ownsRuntime;
        this.session = session;
        this.sender = sender;
        this.stream = stream;
    }

    /** What a viewer is sent. */
    public record Media(boolean audio, int minBitrateBps, int maxBitrateBps, double maxFramerate) {
    }

    /**
     * Makes the session and sender, starts the viewer's stream and sends the offer.
     *
     * @param runtime the shared runtime, or null to give this viewer a runtime of its own
     */
    public static ViewerLink open(String peerId, RtcRuntime runtime, PeerSignaller signaller, PeerSessionConfig config,
                                  Media media) {
        boolean own = runtime == null;
        RtcRuntime rtc = own ? new RtcRuntime("viewer-" + shortId(peerId)) : runtime;
        PeerSession session = null;
        try {
            session = rtc.newSession("viewer-" + shortId(peerId), config, signaller);
            WebRtcTrackSender sender = session.newSender("to-viewer").video(true).audio(media.audio())
                    .minBitrate(media.minBitrateBps()).maxBitrate(media.maxBitrateBps()).maxFramerate(media.maxFramerate())
                    .build();
            PacketStream stream = new PacketStream("viewer-" + shortId(peerId));
            stream.attach(sender, 30);
            stream.start();
            ViewerLink link = new ViewerLink(peerId, rtc, own, session, sender, stream);
            session.negotiate().whenComplete((v, e) -> {
                if (e != null) {
                    log.warn("viewer {}: negotiation failed: {}", peerId, e.toString());
                }
            });
            return link;
        } catch (RuntimeException e) {
            if (session != null) {
                session.close();
            }
            if (own) {
                rtc.close();
            }
            throw e;
        }
    }

    static String shortId(String peerId) {
        return peerId.length() > 8 ? peerId.substring(0, 8) : peerId;
    }

    public String peerId() {
        return peerId;
    }

    public PeerSession session() {
        return session;
    }

    public WebRtcTrackSender sender() {
        return sender;
    }

    /** Seconds since the link was opened. */
    public double ageSeconds() {
        return (System.nanoTime() - openedAtNanos) / 1e9;
    }

    /** Pushes one packet to this viewer (lent for the call). */
    public void write(Packet packet) {
        stream.write(packet);
    }

    /** Asks for fresh statistics (bitrate since the previous call); {@link #lastStats()} has them afterwards. */
    public CompletableFuture<SessionStats> refreshStats() {
        if (session.isClosed()) {
            return CompletableFuture.completedFuture(lastStats);
        }
        return session.stats().orTimeout(2, TimeUnit.SECONDS).whenComplete((s, e) -> {
            if (s != null) {
                lastStats = s;
            }
        });
    }

    /** The last statistics snapshot, or null. */
    public SessionStats lastStats() {
        return lastStats;
    }

    /** Outbound video bitrate of the last snapshot, in bits per second. */
    public long videoBitrateBps() {
        SessionStats s = lastStats;
        return s == null ? 0 : s.outboundVideo().map(RtpStreamStats::bitrateBps).orElse(0L);
    }

    /** Closes the stream, the session and (if owned) the runtime. Idempotent. */
    @Override
    public void close() {
        stream.close();
        session.close();
        if (ownsRuntime) {
            runtime.close();
        }
    }

    @Override
    public String toString() {
        return "viewer " + peerId;
    }
}
