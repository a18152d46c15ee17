package dev.packetstream.webrtc.encoded;

import com.sun.jna.Pointer;
import dev.packetstream.core.peer.IceCandidate;
import dev.packetstream.core.peer.Signaller;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.ElementFactory;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.glib.Natives;
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
 * <h2>Negotiation</h2>
 * {@link #negotiate()} creates an offer, sends it and completes when the answer is applied. An
 * offer from the peer is answered automatically ({@link #acceptOffer}); an answer completes the
 * pending {@code negotiate()}; a bye closes the session. An offer waits until every sender track
 * has had its first packet (webrtcbin reads each track's codec parameters from the stream: an
 * offer made earlier would lack them). A peer that accepts none of a sender's codecs fails the
 * negotiation with an {@link IllegalArgumentException} naming the codecs. Remote candidates are
 * buffered until the remote description is set. Simultaneous offers (glare) are refused.
 *
 * <h2>Threads</h2>
 * Each session has one <b>event thread</b>, {@code gst-<runtime>-<session>-events}. webrtcbin's
 * callbacks (on GStreamer's threads, where blocking deadlocks) are handed to it; it waits for
 * webrtcbin's replies, calls {@code Signaller.send...}, runs state, error and keyframe-request
 * listeners and completes every future returned here. Public methods are thread safe.
 *
 * <h2>Close</h2>
 * {@link #close()} (idempotent; also on a bye or when the runtime closes): a negotiation in
 * progress is interrupted, senders stop pushing, a bye goes to the peer, webrtcbin's signals are
 * disconnected, the pipeline goes to NULL (its streaming threads end) and is released, pending
 * futures fail with {@link IllegalStateException}.
 */
public final class EncodedPeerSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EncodedPeerSession.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final EncodedRuntime runtime;
    private final String name;
    private final EncodedSessionConfig config;
    private final Signaller signaller;
    private final GstApi.Libs libs;
    private final SessionThread events;
    private final Pipeline pipeline;
    /** Keeps GStreamer's threads from calling gst1-java-core's toggle notification for the pipeline (see PinnedObject). */
    private final PinnedObject pipelinePin;
    private final Element webrtcElement;
    private final WebRtcBin bin;

    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> closedFuture = new CompletableFuture<>();
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private volatile ConnectionState state = ConnectionState.NEW;
    private final List<Consumer<ConnectionState>> stateListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Throwable>> errorListeners = new CopyOnWriteArrayList<>();
    private final List<EncodedTrackSender> senders = new CopyOnWriteArrayList<>();
    private final List<EncodedTrackReceiver> receivers = new CopyOnWriteArrayList<>();
    private final AtomicLong ignoredCandidates = new AtomicLong();

    private final Negotiation negotiation;

    EncodedPeerSession(EncodedRuntime runtime, String name, EncodedSessionConfig config, Signaller signaller) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a session needs a name: it appears in thread names and errors");
        }
        this.runtime = runtime;
        this.name = name;
        this.config = config == null ? EncodedSessionConfig.defaults() : config;
        this.signaller = signaller;
        this.libs = runtime.libs();
        this.events = new SessionThread("gst-" + runtime.name() + "-" + name + "-events", this::reportError);
        try {
            this.pipeline = new Pipeline("session-" + name);
            this.webrtcElement = ElementFactory.make("webrtcbin", "webrtc");
        } catch (RuntimeException e) {
            events.shutdown();
            throw new EncodedRtcException("session '" + name + "': GStreamer could not make webrtcbin: " + e.getMessage(), e);
        }
        this.pipelinePin = new PinnedObject(libs, Natives.getRawPointer(pipeline));
        this.bin = new WebRtcBin(libs, Natives.getRawPointer(webrtcElement), name);
        webrtcElement.set("bundle-policy", 3); // max-bundle: one transport, as browsers do
        webrtcElement.set("latency", (int) this.config.latency().toMillis());
        // rtpbin's jitter buffers in "synced" mode (4): time stamps from the RTP time stamps, mapped
        // once and not slaved to arrival, and RTCP lip-sync aligns the streams. Measured on 2 Dec 2026:
        // mode none (0) lost most of a Chromium publisher's video frames (samples RemuxRecorderTest:
        // 28 of 101; 2 of 94 with 400 ms latency); slave (1, rtpbin's default) kept them (104 of 107)
        // but skewed A/V by 51 ms and spread video by 132 ms (AvTimestampTest); synced kept every
        // frame (120 of 120) with an A/V skew of 11 ms and a video spread of 1 us.
        Element rtpbin = ((org.freedesktop.gstreamer.Bin) webrtcElement).getElementByName("rtpbin");
        if (rtpbin != null) {
            rtpbin.set("buffer-mode", 4);
        }
        if (this.config.stunServer() != null) {
            webrtcElement.set("stun-server", this.config.stunServer());
        }
        if (this.config.turnServer() != null) {
            webrtcElement.set("turn-server", this.config.turnServer());
        }
        bin.configureIce(this.config.loopbackOnly() ? List.of("127.0.0.1") : List.of(), this.config.minPort(), this.config.maxPort());
        this.negotiation = new Negotiation(this, signaller, bin, events);
        bin.onIceCandidate((element, mline, candidate, data) -> events.execute(() -> negotiation.localCandidate(mline, candidate)));
        bin.onConnectionStateChange((object, pspec, data) -> {
            ConnectionState s = bin.connectionState();
            events.execute(() -> setState(s));
        });
        bin.onPadAdded((element, pad, data) -> remotePad(pad));
        pipeline.add(webrtcElement);
        pipeline.getBus().connect((Bus.ERROR) (source, code, message) ->
                events.execute(() -> reportError(new EncodedRtcException("session '" + name + "': GStreamer element '"
                        + (source == null ? "?" : source.getName()) + "' failed: " + message))));
        pipeline.play();
        signaller.bind(new Signaller.Listener() {
            @Override
            public void onOffer(String sdp) {
                acceptOffer(sdp).whenComplete((a, e) -> reportUnlessClosed(e));
            }

            @Override
            public void onAnswer(String sdp) {
                acceptAnswer(sdp).whenComplete((v, e) -> reportUnlessClosed(e));
            }

            @Override
            public void onCandidate(IceCandidate candidate) {
                if (!candidate.isEndOfCandidates()) {
                    addRemoteCandidate(candidate).whenComplete((v, e) -> reportUnlessClosed(e));
                }
            }

            @Override
            public void onBye() {
                closeAsync(false);
            }
        });
    }

    // ------------------------------------------------------------------ identity and state

    public String name() {
        return name;
    }

    public EncodedRuntime runtime() {
        return runtime;
    }

    public EncodedSessionConfig config() {
        return config;
    }

    /** The last connection state seen. */
    public ConnectionState state() {
        return state;
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Completes (on the event thread) when the connection first reaches CONNECTED; fails if it fails or closes first. */
    public CompletableFuture<Void> connected() {
        return connected;
    }

    /** Completes when the session has closed. */
    public CompletableFuture<Void> closedFuture() {
        return closedFuture;
    }

    /** Adds a listener for connection-state changes; it runs on the event thread. */
    public EncodedPeerSession onStateChange(Consumer<ConnectionState> listener) {
        stateListeners.add(listener);
        return this;
    }

    /** Adds a listener for failures that have no caller to return to; it runs on the event thread. */
    public EncodedPeerSession onError(Consumer<Throwable> listener) {
        errorListeners.add(listener);
        return this;
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

    // ------------------------------------------------------------------ negotiation (see Negotiation)

    /** Creates an offer, sends it, and completes when the peer's answer has been applied. */
    public CompletableFuture<Void> negotiate() {
        return negotiation.negotiate();
    }

    /**
     * Applies the peer's offer, creates the answer and sends it. Called for offers arriving through
     * the signaller; completes with the answer's SDP.
     */
    public CompletableFuture<String> acceptOffer(String sdp) {
        return negotiation.acceptOffer(sdp);
    }

    /** Applies the peer's answer to the outstanding offer; fails when there is none. */
    public CompletableFuture<Void> acceptAnswer(String sdp) {
        return negotiation.acceptAnswer(sdp);
    }

    /** Adds a remote ICE candidate; buffered until the remote description is set. */
    public CompletableFuture<Void> addRemoteCandidate(IceCandidate candidate) {
        return negotiation.addRemoteCandidate(candidate);
    }

    // ------------------------------------------------------------------ GStreamer-thread callbacks

    /** Streaming thread: a remote stream's pad appeared; the receivers link a depayloader. */
    private void remotePad(Pointer pad) {
        if (closed.get() || libs.gst().gst_pad_get_direction(pad) != 1) { // our own request sink pads too
            return;
        }
        if (receivers.isEmpty()) {
            events.execute(() -> log.info("session '{}': the peer sends media but the session has no receiver; it is discarded", name));
        }
        for (EncodedTrackReceiver r : receivers) {
            try {
                if (r.linkRemotePad(pad)) {
                    return;
                }
            } catch (RuntimeException e) {
                events.execute(() -> reportError(e));
                return;
            }
        }
        ReceiveBranch.discard(this, pad);
    }

    // ------------------------------------------------------------------ close

    /**
     * Sends a bye and closes (see the class comment). Idempotent. Blocks until done (at most 10 s),
     * except on the session's own threads, where it closes asynchronously.
     */
    @Override
    public void close() {
        CompletableFuture<Void> f = closeAsync(true);
        if (events.isCurrent() || ReceiveBranch.isStreamingThreadOf(receivers)) {
            return;
        }
        try {
            f.get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            events.awaitTermination(CLOSE_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            throw new EncodedRtcException("session '" + name + "' did not close within " + CLOSE_TIMEOUT
                    + "; a listener on its event thread may be blocked", e);
        } catch (ExecutionException e) {
            throw new EncodedRtcException("session '" + name + "': closing failed: " + e.getCause(), e.getCause());
        }
    }

    /** Closes on the event thread; the future completes when closed. Idempotent. */
    public CompletableFuture<Void> closeAsync() {
        return closeAsync(true);
    }

    private CompletableFuture<Void> closeAsync(boolean sendBye) {
        if (!closed.compareAndSet(false, true)) {
            return closedFuture;
        }
        bin.interrupt(); // a negotiation waiting for webrtcbin lets go of the event thread
        for (EncodedTrackSender s : senders) {
            s.abortWaits(); // ... and one waiting for a track's first packet
        }
        if (!events.executeFinal(() -> {
            try {
                tearDown(sendBye);
                closedFuture.complete(null);
            } catch (Throwable t) {
                closedFuture.completeExceptionally(t);
            }
        })) {
            closedFuture.complete(null);
        }
        return closedFuture;
    }

    private void tearDown(boolean sendBye) {
        for (EncodedTrackSender s : senders) {
            s.stopPushing();
        }
        if (sendBye) {
            try {
                signaller.sendBye();
            } catch (RuntimeException e) {
                log.warn("session '{}': sending bye failed; closing anyway", name, e);
            }
        }
        bin.disconnectAll();
        for (EncodedTrackReceiver r : receivers) {
            r.sessionClosing();
        }
        pipeline.setState(State.NULL);
        for (EncodedTrackSender s : senders) {
            s.released();
        }
        pipeline.getBus().dispose();
        pipeline.dispose();
        pipelinePin.close();
        IllegalStateException gone = new IllegalStateException("session '" + name + "' closed");
        negotiation.closed(gone);
        connected.completeExceptionally(gone);
        state = ConnectionState.CLOSED;
        for (Consumer<ConnectionState> l : stateListeners) {
            callListener(l, ConnectionState.CLOSED);
        }
        runtime.sessionClosed(this);
        log.debug("session '{}' closed", name);
    }

    // ------------------------------------------------------------------ internals

    GstApi.Libs libs() {
        return libs;
    }

    Pipeline pipeline() {
        return pipeline;
    }

    Element webrtcElement() {
        return webrtcElement;
    }

    WebRtcBin bin() {
        return bin;
    }

    SessionThread events() {
        return events;
    }

    /** The pipeline's running time now (the clock the senders stamp and the receivers read). */
    long runningTimeNs() {
        Pointer p = Natives.getRawPointer(pipeline);
        Pointer clock = libs.gst().gst_element_get_clock(p);
        if (clock == null) {
            return 0;
        }
        try {
            return Math.max(0, libs.gst().gst_clock_get_time(clock) - libs.gst().gst_element_get_base_time(p));
        } finally {
            libs.gst().gst_object_unref(clock);
        }
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

    private void reportUnlessClosed(Throwable e) {
        if (e != null && !closed.get()) {
            reportError(e);
        }
    }

    void reportError(Throwable t) {
        Throwable e = SessionThread.unwrap(t);
        log.warn("session '{}': {}", name, e.toString());
        for (Consumer<Throwable> l : errorListeners) {
            try {
                l.accept(e);
            } catch (RuntimeException le) {
                log.warn("session '{}': an error listener threw", name, le);
            }
        }
    }

    void requireOpen(String what) {
        if (closed.get()) {
            throw new IllegalStateException("session '" + name + "' is closed: cannot " + what + "; create a new session");
        }
    }

    private void setState(ConnectionState s) {
        if (closed.get() || state == s) {
            return;
        }
        state = s;
        if (s == ConnectionState.CONNECTED) {
            for (EncodedTrackSender sender : senders) {
                sender.transportConnected();
            }
            connected.complete(null);
        } else if (s == ConnectionState.FAILED) {
            connected.completeExceptionally(new EncodedRtcException("session '" + name + "': ICE failed; check the ICE "
                    + "servers, the UDP port range and the candidates the peer signalled (mDNS .local ones are ignored)"));
        }
        for (Consumer<ConnectionState> l : stateListeners) {
            callListener(l, s);
        }
    }

    private void callListener(Consumer<ConnectionState> l, ConnectionState s) {
        try {
            l.accept(s);
        } catch (RuntimeException e) {
            log.warn("session '{}': a state listener threw", name, e);
        }
    }

    @Override
    public String toString() {
        return "EncodedPeerSession('" + name + "', " + state + ")";
    }
}
