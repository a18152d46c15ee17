package dev.packetstream.webrtc.encoded;

import com.sun.jna.Pointer;
import dev.packetstream.core.peer.AbstractPeerSession;
import dev.packetstream.core.peer.OfferAnswer;
import dev.packetstream.core.peer.SessionEventThread;
import dev.packetstream.core.peer.Signaller;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Pipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer connection on GStreamer's {@code webrtcbin}, negotiated through a {@link Signaller}:
 * encoded media out ({@link #newSender}) and in ({@link #newReceiver}), no codec work. Made by
 * {@link EncodedRuntime#newSession}.
 *
 * <pre>{@code
 * EncodedPeerSession session = runtime.newSession("viewer-1", config, signaller);
 * EncodedTrackSender sender = session.newSender("cam").video(VideoCodec.VP8).audio(AudioCodec.OPUS).build();
 * stream.attach(sender, 50);                  // EncodedVideoPacket / EncodedAudioPacket in
 * stream.start();
 * session.negotiate().get(10, SECONDS);       // offer → signaller → answer applied
 * session.connected().get(10, SECONDS);
 * }</pre>
 *
 * <h2>Negotiation and threads</h2>
 * As for every {@link AbstractPeerSession}, and: an offer or answer waits until every sender track
 * has had its first packet (webrtcbin reads each track's codec parameters from the stream: an
 * offer made earlier would lack them); a peer that accepts none of a sender's codecs fails the
 * negotiation with an {@link IllegalArgumentException} naming the codecs; an offer with no answer
 * within the config's negotiation timeout fails. The event thread is
 * {@code gst-<runtime>-<session>-events}: webrtcbin's callbacks (on GStreamer's threads, where
 * blocking deadlocks) are handed to it; it waits there for webrtcbin's replies and runs the
 * keyframe-request listeners too.
 *
 * <h2>Close</h2>
 * {@link #close()} (idempotent; also on a bye or when the runtime closes): a negotiation in
 * progress is interrupted, senders stop pushing, a bye goes to the peer, webrtcbin's signals are
 * disconnected, the pipeline goes to NULL (its streaming threads end) and is released, pending
 * futures fail with {@link IllegalStateException}.
 *
 * <h2>Structure</h2>
 * This class is the facade of the media and the close order. What both kinds of session share is
 * the core's {@link AbstractPeerSession}: the event thread ({@link SessionEventThread}), the
 * offer/answer rules ({@link OfferAnswer}, with webrtcbin's part in {@link Negotiation}), state,
 * listeners and the close protocol. The pipeline around webrtcbin is {@link SessionPipeline}.
 */
public final class EncodedPeerSession extends AbstractPeerSession<ConnectionState, EncodedPeerSession> {
    private static final Logger log = LoggerFactory.getLogger(EncodedPeerSession.class);

    private final EncodedRuntime runtime;
    private final String name;
    private final EncodedSessionConfig config;
    private final Signaller signaller;
    private final GstApi.Libs libs;
    private final SessionPipeline gst;
    private final WebRtcBin bin;
    private final List<EncodedTrackSender> senders = new CopyOnWriteArrayList<>();
    private final List<EncodedTrackReceiver> receivers = new CopyOnWriteArrayList<>();
    private final AtomicLong ignoredCandidates = new AtomicLong();
    private final Negotiation webrtcbin;

    EncodedPeerSession(EncodedRuntime runtime, String name, EncodedSessionConfig config, Signaller signaller) {
        super("gst", runtime.name(), name, ConnectionState.class, EncodedRtcException::new, e -> e);
        this.runtime = runtime;
        this.name = name;
        this.config = config == null ? EncodedSessionConfig.defaults() : config;
        this.signaller = signaller;
        this.libs = runtime.libs();
        SessionEventThread events = eventThread();
        try {
            this.gst = new SessionPipeline(libs, name, this.config);
        } catch (RuntimeException e) {
            events.shutdownNow();
            throw e;
        }
        this.bin = gst.bin();
        this.webrtcbin = new Negotiation(this, signaller, bin);
        bin.onIceCandidate((element, mline, candidate, data) -> events.execute(() -> webrtcbin.localCandidate(mline, candidate)));
        bin.onConnectionStateChange((object, pspec, data) -> {
            ConnectionState s = bin.connectionState();
            events.execute(() -> setState(s));
        });
        bin.onPadAdded((element, pad, data) -> remotePad(pad));
        gst.play(name, e -> events.execute(() -> lifecycle().reportError(e)));
        negotiateThrough(signaller, webrtcbin, this.config.negotiationTimeout());
    }

    // ------------------------------------------------------------------ identity and state

    public EncodedRuntime runtime() {
        return runtime;
    }

    public EncodedSessionConfig config() {
        return config;
    }

    /** Remote candidates ignored: mDNS ({@code .local}) names the ICE agent cannot resolve. */
    public long ignoredRemoteCandidates() {
        return ignoredCandidates.get();
    }

    // ------------------------------------------------------------------ media

    /** A builder for a sender of encoded video and/or audio on this session. */
    public EncodedTrackSender.Builder newSender(String senderName) {
        requireOpen("add sender '" + senderName + "'");
        return new EncodedTrackSender.Builder(this, senderName);
    }

    /**
     * A source of the peer's encoded media. For each kind in {@code expect}, a receive-only
     * transceiver is added, so that an offer from this session asks the peer for it; when the
     * peer offers, the receiver gets whatever media the offer carries.
     */
    public EncodedTrackReceiver newReceiver(String receiverName, MediaKind... expect) {
        requireOpen("add receiver '" + receiverName + "'");
        for (MediaKind k : expect) {
            bin.addReceiveTransceiver(k == MediaKind.VIDEO ? Codecs.receiveCaps(config.videoCodecs()) : Codecs.OPUS_RECEIVE_CAPS,
                    k == MediaKind.VIDEO, config.transportFeedback());
        }
        EncodedTrackReceiver r = new EncodedTrackReceiver(this, receiverName);
        receivers.add(r);
        return r;
    }

    // ------------------------------------------------------------------ GStreamer-thread callbacks

    /** Streaming thread: a remote stream's pad appeared; the receivers link a depayloader. */
    private void remotePad(Pointer pad) {
        if (isClosed() || libs.gst().gst_pad_get_direction(pad) != 1) { // our own request sink pads too
            return;
        }
        if (receivers.isEmpty()) {
            events().execute(() -> log.info("session '{}': the peer sends media but the session has no receiver; it is discarded", name));
        }
        for (EncodedTrackReceiver r : receivers) {
            try {
                if (r.linkRemotePad(pad)) {
                    return;
                }
            } catch (RuntimeException e) {
                events().execute(() -> reportError(e));
                return;
            }
        }
        ReceiveBranch.discard(this, pad);
    }

    // ------------------------------------------------------------------ close

    /** On a receiver's streaming thread too: closing waits for those to end. */
    @Override
    protected boolean onOwnThread() {
        return eventThread().inEventLoop() || ReceiveBranch.isStreamingThreadOf(receivers);
    }

    @Override
    protected void beforeClose() {
        bin.interrupt(); // a negotiation waiting for webrtcbin lets go of the event thread
        for (EncodedTrackSender s : senders) {
            s.abortWaits(); // ... and one waiting for a track's first packet
        }
    }

    @Override
    protected void tearDown(boolean sendBye) {
        for (EncodedTrackSender s : senders) {
            s.stopPushing();
        }
        if (sendBye) {
            lifecycle().sendBye(signaller);
        }
        bin.disconnectAll();
        for (EncodedTrackReceiver r : receivers) {
            r.sessionClosing();
        }
        gst.stop();
        for (EncodedTrackSender s : senders) {
            s.released();
        }
        gst.dispose();
        IllegalStateException gone = lifecycle().gone();
        offerAnswer().closed(gone);
        lifecycle().closed(gone);
        runtime.sessionClosed(this);
        log.debug("session '{}' closed", name);
    }

    // ------------------------------------------------------------------ internals

    GstApi.Libs libs() {
        return libs;
    }

    Pipeline pipeline() {
        return gst.pipeline();
    }

    Element webrtcElement() {
        return gst.webrtcElement();
    }

    WebRtcBin bin() {
        return bin;
    }

    SessionEventThread events() {
        return eventThread();
    }

    /** The pipeline's running time now (the clock the senders stamp and the receivers read). */
    long runningTimeNs() {
        return gst.runningTimeNs();
    }

    List<EncodedTrackSender> senders() {
        return senders;
    }

    void candidateIgnored() {
        ignoredCandidates.incrementAndGet();
    }

    void addSender(EncodedTrackSender s) {
        senders.add(s);
    }

    void removeReceiver(EncodedTrackReceiver r) {
        receivers.remove(r);
    }

    List<EncodedTrackReceiver> receivers() {
        return receivers;
    }

    void reportError(Throwable t) {
        lifecycle().reportError(t);
    }

    void requireOpen(String what) {
        lifecycle().requireOpen(what);
    }

    /** Event thread: webrtcbin reported a connection state; CONNECTED first restarts the senders' keyframe gates. */
    private void setState(ConnectionState s) {
        lifecycle().connectionChanged(s, "check the ICE servers, the UDP port range and the candidates the peer signalled "
                + "(mDNS .local ones are ignored)", () -> senders.forEach(EncodedTrackSender::transportConnected));
    }
}
