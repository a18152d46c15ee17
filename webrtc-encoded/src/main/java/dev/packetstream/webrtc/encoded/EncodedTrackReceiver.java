package dev.packetstream.webrtc.encoded;

import com.sun.jna.Pointer;
import dev.packetstream.core.DiscardReason;
import dev.packetstream.core.EventLoop;
import dev.packetstream.core.Packet;
import dev.packetstream.core.PacketStreamAdapter;
import dev.packetstream.core.Retention;
import dev.packetstream.core.Startable;
import dev.packetstream.core.media.EncodedAudioPacket;
import dev.packetstream.core.media.EncodedVideoPacket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A source of the peer's encoded media, depayloaded and not decoded: {@link EncodedVideoPacket}s
 * (H.264 as Annex-B access units, VP8, VP9) with keyframe flags and sizes, and
 * {@link EncodedAudioPacket}s (Opus, 48 kHz). Made by {@link EncodedPeerSession#newReceiver};
 * attach it with {@code AttachOption.SYNC_STATE}.
 *
 * <pre>{@code
 * EncodedTrackReceiver receiver = session.newReceiver("remote", MediaKind.VIDEO, MediaKind.AUDIO);
 * stream.attachSource(receiver, AttachOption.SYNC_STATE);
 * stream.attach(recorder, 10);        // e.g. MultiplexPacketEncoder: remux, no transcode
 * stream.start();
 * receiver.requestKeyframe();         // PLI/FIR to the peer
 * }</pre>
 *
 * <h2>Losses</h2>
 * After a lost packet the video drops to the next keyframe and asks the peer for one (PLI), so
 * what this receiver emits always decodes from its first packet on.
 *
 * <h2>Timestamps</h2>
 * Presentation times (microseconds) come from the RTP time stamps, not from arrival (the jitter
 * buffer does no arrival-time smoothing), so they follow the peer's media timing exactly; the RTP
 * bin aligns audio with video using the peer's RTCP sender reports. Audio and video packets of one
 * peer are therefore on one clock and can be muxed together as they are; the first time stamp is
 * not zero (start a recording's tracks from zero, as {@code MultiplexPacketEncoder} does).
 *
 * <h2>Ownership and threads</h2>
 * Every packet is owned (its bytes were copied once out of GStreamer's buffer). Packets are emitted
 * on GStreamer's streaming thread of their stream (one per remote stream), or on an
 * {@link EventLoop} with {@link #deliverOn}. Do not block there; a {@code close()} of the session
 * from that thread closes asynchronously.
 *
 * <h2>Lifecycle</h2>
 * Packets that arrive while the receiver is not started are dropped and counted. When the
 * session closes the receiver emits nothing more.
 */
public final class EncodedTrackReceiver extends PacketStreamAdapter implements Startable {
    private final EncodedPeerSession session;
    private final List<ReceiveBranch> branches = new CopyOnWriteArrayList<>();
    /**
     * How deep the current thread is in {@link #emitHere} (a close from there must not wait for
     * itself). Per thread, so that marking a delivery costs no shared write (it was a copy-on-write
     * list: two array copies per packet).
     */
    private final ThreadLocal<int[]> deliveryDepth = ThreadLocal.withInitial(() -> new int[1]);
    private volatile EventLoop loop;
    private volatile boolean started;
    private volatile boolean closing;
    private final AtomicLong videoPackets = new AtomicLong();
    private final AtomicLong keyframes = new AtomicLong();
    private final AtomicLong audioPackets = new AtomicLong();
    private final AtomicLong keyframeRequests = new AtomicLong();

    EncodedTrackReceiver(EncodedPeerSession session, String name) {
        super(name, Retention.BORROWED);
        this.session = session;
    }

    /** Emits on {@code loop} instead of GStreamer's streaming threads. Call before starting. */
    public EncodedTrackReceiver deliverOn(EventLoop loop) {
        this.loop = loop;
        return this;
    }

    @Override
    public void start() {
        started = true;
    }

    @Override
    public void stop() {
        started = false;
    }

    public EncodedPeerSession session() {
        return session;
    }

    /**
     * Asks the peer for a keyframe (an RTCP PLI/FIR). Returns false when no video stream has
     * arrived yet.
     */
    public boolean requestKeyframe() {
        boolean sent = false;
        for (ReceiveBranch b : branches) {
            sent |= b.requestKeyframe();
        }
        if (sent) {
            keyframeRequests.incrementAndGet();
        }
        return sent;
    }

    public long videoPacketsReceived() {
        return videoPackets.get();
    }

    public long keyframesReceived() {
        return keyframes.get();
    }

    public long audioPacketsReceived() {
        return audioPackets.get();
    }

    /** Packets dropped because the receiver was not started or its loop refused them. */
    public long packetsDropped() {
        return discardedCount();
    }

    public long keyframeRequestsSent() {
        return keyframeRequests.get();
    }

    /** The encoding names of the remote streams linked so far, e.g. [VP8, OPUS]. */
    public List<String> remoteEncodings() {
        return branches.stream().map(b -> b.encoding).toList();
    }

    /** Streaming thread: links the pad when it carries media; false to let another receiver try. */
    boolean linkRemotePad(Pointer pad) {
        if (closing) {
            return false;
        }
        ReceiveBranch b = ReceiveBranch.link(session, this, pad);
        if (b == null) {
            return false;
        }
        branches.add(b);
        return true;
    }

    void sessionClosing() {
        closing = true;
        started = false;
    }

    boolean isDeliveryThread() {
        return deliveryDepth.get()[0] > 0;
    }

    /** Streaming thread: one packet from a branch. */
    void deliver(Packet p) {
        if (!started || closing) {
            discard(p, closing ? DiscardReason.CLOSED : DiscardReason.INACTIVE);
            return;
        }
        if (p instanceof EncodedVideoPacket v) {
            videoPackets.incrementAndGet();
            if (v.isKeyframe()) {
                keyframes.incrementAndGet();
            }
        } else {
            audioPackets.incrementAndGet();
        }
        EventLoop l = loop;
        if (l == null || l.inEventLoop()) {
            emitHere(p);
            return;
        }
        try {
            l.execute(() -> emitHere(p));
        } catch (RejectedExecutionException e) {
            discard(p, DiscardReason.CLOSED);
        }
    }

    private void emitHere(Packet p) {
        int[] depth = deliveryDepth.get();
        depth[0]++;
        try {
            emit(p);
        } finally {
            depth[0]--;
        }
    }

    @Override
    public String toString() {
        return "EncodedTrackReceiver('" + name() + "' on '" + session.name() + "', " + remoteEncodings() + ")";
    }
}
