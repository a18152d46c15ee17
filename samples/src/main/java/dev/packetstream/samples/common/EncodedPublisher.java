package dev.packetstream.samples.common;

import dev.packetstream.core.AttachOption;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.media.EncodedVideoPacket;
import dev.packetstream.signaling.PeerInfo;
import dev.packetstream.signaling.bridge.PeerSignaller;
import dev.packetstream.webrtc.encoded.EncodedPeerSession;
import dev.packetstream.webrtc.encoded.EncodedRuntime;
import dev.packetstream.webrtc.encoded.EncodedSessionConfig;
import dev.packetstream.webrtc.encoded.EncodedTrackReceiver;
import dev.packetstream.webrtc.encoded.MediaKind;

/**
 * A browser publisher received without decoding: its offer is answered by an
 * {@link EncodedPeerSession} whose {@link EncodedTrackReceiver} hands the browser's encoded video
 * (VP8 or H.264, keyframe flags) and Opus packets to the viewers' fan-out as they are.
 *
 * <pre>
 * publisher page ──► EncodedTrackReceiver ──► stream from-&lt;id&gt; ──► EncodedViewers' fan-out
 *                    (depayloaded, not decoded)
 * </pre>
 *
 * One publisher at a time: a new one replaces the previous (its session closes); when it leaves,
 * viewers keep their sessions, frozen on the last picture, until the next publisher arrives. The
 * viewers' keyframe requests (a new viewer, a PLI from a viewer page, an overflowing viewer queue)
 * are forwarded to the publisher as a PLI/FIR.
 *
 * <h2>Threads</h2>
 * {@link #publisherOffer} runs on the signaling client's thread; packets are handed to the fan-out
 * on GStreamer's streaming threads of the publisher's session (one for video, one for audio).
 */
public final class EncodedPublisher implements PublisherRouting.Publisher, AutoCloseable {
    private final EncodedRuntime runtime;
    private final EncodedSessionConfig config;
    private final EncodedViewers viewers;
    private final RateMeter frames = new RateMeter();
    private final PublisherSlot<Publisher> publisher = new PublisherSlot<>();

    private record Publisher(String peerId, EncodedPeerSession session, EncodedTrackReceiver receiver, PacketStream stream)
            implements PublisherSlot.Connected {
        @Override
        public void close() {
            stream.close();
            session.close();
        }
    }

    public EncodedPublisher(EncodedRuntime runtime, EncodedSessionConfig config, EncodedViewers viewers) {
        this.runtime = runtime;
        this.config = config;
        this.viewers = viewers;
        viewers.fanout().onKeyframeRequest(reason -> {
            Publisher p = publisher.current();
            if (p != null) {
                p.receiver().requestKeyframe();
            }
        });
    }

    /** A browser publisher offers: its receiving session answers (the caller routes the offer to {@code signaller}). */
    @Override
    public void publisherOffer(PeerInfo peer, PeerSignaller signaller) {
        if (publisher.isClosed()) {
            return;
        }
        String id = ViewerLink.shortId(peer.id());
        EncodedPeerSession session = runtime.newSession("from-" + id, config, signaller);
        EncodedTrackReceiver receiver = session.newReceiver("publisher", MediaKind.VIDEO, MediaKind.AUDIO);
        PacketStream from = new PacketStream("from-" + id);
        from.attachSource(receiver, AttachOption.SYNC_STATE);
        from.addSink("to-viewers", p -> {
            if (p instanceof EncodedVideoPacket v) {
                frames.mark();
                viewers.sourceCodec(v.codec());
            }
            viewers.fanout().send(p);
        });
        from.start();
        publisher.connected(new Publisher(peer.id(), session, receiver, from));
    }

    /** The peer left: if it was the publisher, close its session. */
    @Override
    public void peerLeft(PeerInfo peer) {
        publisher.peerLeft(peer);
    }

    /** The publisher's receiver, or null when none is connected. */
    public EncodedTrackReceiver receiver() {
        Publisher p = publisher.current();
        return p == null ? null : p.receiver();
    }

    /** Video frames per second received from the publisher since the previous call. */
    public double framesPerSecond() {
        return frames.perSecond();
    }

    public String describe() {
        Publisher p = publisher.current();
        return p == null ? "waiting for a publisher" : "browser publisher " + ViewerLink.shortId(p.peerId()) + " "
                + p.receiver().remoteEncodings();
    }

    /** Closes the publisher's session. Idempotent. */
    @Override
    public void close() {
        publisher.close();
    }
}
