package dev.packetstream.samples.common;

import dev.packetstream.av.MediaCapture;
import dev.packetstream.av.VideoConverter;
import dev.packetstream.core.AttachOption;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.media.RawVideoFrame;
import dev.packetstream.signaling.PeerInfo;
import dev.packetstream.signaling.bridge.PeerSignaller;
import dev.packetstream.webrtc.PeerSession;
import dev.packetstream.webrtc.PeerSessionConfig;
import dev.packetstream.webrtc.RtcRuntime;
import dev.packetstream.webrtc.WebRtcTrackReceiver;

/**
 * The decoded ingress of relay and detect: one stream {@code ingress} whose packets are raw frames,
 * from the Java test pattern (or a camera or file: a {@link MediaCapture} attached as its source),
 * or from a browser publisher (its session's {@link WebRtcTrackReceiver} writes into it). Add sinks
 * and branches to {@link #stream()} before {@link #start()}.
 *
 * <h2>Browser publisher</h2>
 * One publisher at a time: its offer creates a session whose receiver runs in a small stream
 * {@code from-<id>} that writes every decoded frame into the ingress (the same thread: libwebrtc's
 * decoder thread; the frame stays a borrowed reference for the call). A new publisher replaces the
 * previous one; when the publisher leaves, its session closes and viewers keep their sessions,
 * frozen on the last picture, until the next publisher arrives.
 *
 * <h2>Threads</h2>
 * {@link #publisherOffer} runs on the signaling client's thread; closing a replaced publisher is
 * quick (the session's close is bounded) and done there too.
 */
public final class Ingress implements PublisherRouting.Publisher, AutoCloseable {
    private final PacketStream stream = new PacketStream("ingress");
    private final RtcRuntime runtime;
    private final PeerSessionConfig config;
    private final String description;
    private final RateMeter frames = new RateMeter();
    private final PublisherSlot<Publisher> publisher = new PublisherSlot<>();

    private record Publisher(String peerId, PeerSession session, PacketStream stream) implements PublisherSlot.Connected {
        @Override
        public void close() {
            stream.close();
            session.close();
        }
    }

    private Ingress(RtcRuntime runtime, PeerSessionConfig config, String description) {
        this.runtime = runtime;
        this.config = config;
        this.description = description;
        stream.addSink("fps", p -> {
            if (p instanceof RawVideoFrame) {
                frames.mark();
            }
        });
    }

    /** Frames from a Java source (test pattern, camera, file), converted to the options' size, video only. */
    public static Ingress capture(SourceOptions options) {
        Ingress in = new Ingress(null, null, options.describe() + " " + options.size);
        MediaCapture capture = options.build();
        in.stream.attachSource(capture, AttachOption.SYNC_STATE, AttachOption.CLOSE_WITH_STREAM);
        in.stream.attach(new VideoConverter("to-size", options.size.width(), options.size.height()), 10,
                AttachOption.CLOSE_WITH_STREAM);
        return in;
    }

    /** Frames from a browser publisher, received on sessions of {@code runtime}. */
    public static Ingress browser(RtcRuntime runtime, PeerSessionConfig config) {
        return new Ingress(runtime, config, "browser publisher");
    }

    /** The ingress stream: add sinks and branches before {@link #start()}. */
    public PacketStream stream() {
        return stream;
    }

    public boolean fromBrowser() {
        return runtime != null;
    }

    public void start() {
        stream.start();
    }

    /** Video frames per second entering, since the previous call (status line). */
    public double framesPerSecond() {
        return frames.perSecond();
    }

    /** Video frames that entered so far. */
    public long frames() {
        return frames.count();
    }

    /** What feeds the ingress, and whether a browser publisher is connected. */
    public String describe() {
        if (!fromBrowser()) {
            return description;
        }
        Publisher p = publisher.current();
        return p == null ? "waiting for a publisher" : "browser publisher " + p.peerId();
    }

    /**
     * A browser publisher offers: make its receiving session (the caller then routes the offer to
     * {@code signaller}). Replaces a previous publisher.
     */
    @Override
    public void publisherOffer(PeerInfo peer, PeerSignaller signaller) {
        if (!fromBrowser() || publisher.isClosed()) {
            return;
        }
        PeerSession session = runtime.newSession("from-" + ViewerLink.shortId(peer.id()), config, signaller);
        WebRtcTrackReceiver receiver = session.newReceiver("publisher");
        PacketStream from = new PacketStream("from-" + ViewerLink.shortId(peer.id()));
        from.attachSource(receiver, AttachOption.SYNC_STATE);
        from.addSink("ingress", stream::write);
        from.start();
        publisher.connected(new Publisher(peer.id(), session, from));
    }

    /** The peer left: if it was the publisher, close its session. */
    @Override
    public void peerLeft(PeerInfo peer) {
        publisher.peerLeft(peer);
    }

    /** Closes the publisher's session and the ingress stream (and its capture). Idempotent. */
    @Override
    public void close() {
        publisher.close();
        stream.close();
    }
}
