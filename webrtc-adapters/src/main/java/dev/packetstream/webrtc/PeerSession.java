package dev.packetstream.webrtc;

import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.packetstream.core.peer.IceCandidate;
import dev.packetstream.core.peer.Signaller;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer connection, negotiated through a {@link Signaller}. Made by
 * {@link RtcRuntime#newSession}.
 *
 * <pre>{@code
 * PeerSession session = rtc.newSession("viewer-1", config, signaller);
 * WebRtcTrackSender sender = session.newSender("cam").video(true).audio(true).build();
 * session.negotiate().get(10, SECONDS);        // offer → signaller → answer applied
 * session.connected().get(10, SECONDS);
 * ...
 * session.close();                             // or rtc.close()
 * }</pre>
 *
 * <h2>Negotiation</h2>
 * {@link #negotiate()} (and {@link #restartIce()}) create and send an offer and complete when the
 * peer's answer has been applied. An offer arriving through the signaller is answered
 * automatically ({@link #acceptOffer}); an answer completes the pending {@code negotiate()}; a bye
 * closes the session. Add senders, receivers and data channels before negotiating (or negotiate
 * again afterwards). Remote candidates are buffered until the remote description is set, because
 * libwebrtc drops early ones silently. Simultaneous offers from both sides (glare) are refused
 * with an exception on the side that receives an offer while it has one outstanding.
 *
 * <h2>Threads</h2>
 * Each session has one <b>event thread</b> of its own, named
 * {@code rtc-<runtime>-<session>-events}. Every libwebrtc callback (which arrives on the factory's
 * signaling thread, where blocking deadlocks) is handed to it; connection-state and error
 * listeners, data-channel deliveries, {@code Signaller.send...} calls and the dependent stages of
 * every future returned here run on it. Listeners may block briefly, but while they do, the
 * session processes nothing else. Public methods are thread safe.
 *
 * <h2>Close</h2>
 * {@link #close()} sends a bye and tears down in the order that never crashed: senders stop →
 * receivers' sinks are removed from remote tracks → data channels unregistered, closed and
 * disposed → the peer connection is closed → custom video sources disposed. Closing twice does
 * nothing. Futures still pending fail with {@link IllegalStateException}.
 *
 * <h2>Structure</h2>
 * This class is the facade: identity, state, listeners and the close order. The offer/answer
 * state machine is {@link Negotiation}, the event thread {@link SessionEventThread}, the media and
 * data channels {@link Transceivers}.
 */
public final class PeerSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PeerSession.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final RtcRuntime runtime;
    private final String name;
    private final PeerSessionConfig config;
    private final Signaller signaller;
    private final List<Consumer<ConnectionState>> stateListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Throwable>> errorListeners = new CopyOnWriteArrayList<>();
    private final SessionEventThread events;
    private final NativeCalls calls;
    private final RTCPeerConnection pc;
    private final Negotiation negotiation;
    private final Transceivers transceivers;
    private final StatsCollector stats;

    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> closedFuture = new CompletableFuture<>();
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private volatile ConnectionState state = ConnectionState.NEW;

    PeerSession(RtcRuntime runtime, String name, int seq, PeerSessionConfig config, Signaller signaller) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a session needs a name: it appears in thread names and errors");
        }
        this.runtime = runtime;
        this.name = name;
        this.config = config == null ? PeerSessionConfig.defaults() : config;
        this.signaller = signaller;
        this.events = new SessionEventThread(runtime.name(), name, this::reportError);
        this.calls = new NativeCalls(name, events.executor());
        this.pc = runtime.factory().createPeerConnection(this.config.toRtcConfiguration(), new SessionObserver(this));
        if (pc == null) {
            events.executor().shutdown();
            throw new RtcException("session '" + name + "': libwebrtc refused to create a peer connection; check the ICE server URLs "
                    + this.config.iceServers());
        }
        this.negotiation = new Negotiation(this, pc, calls, events, signaller);
        this.transceivers = new Transceivers(this, pc, events);
        this.stats = new StatsCollector(name);
        negotiation.listenTo(signaller);
    }

    // ------------------------------------------------------------------ identity and state

    public String name() {
        return name;
    }

    public RtcRuntime runtime() {
        return runtime;
    }

    public PeerSessionConfig config() {
        return config;
    }

    /** The last connection state seen. */
    public ConnectionState state() {
        return state;
    }

    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Completes (on the event thread) when the peer connection first reaches CONNECTED; fails when
     * it fails or the session closes first.
     */
    public CompletableFuture<Void> connected() {
        return connected;
    }

    /** Completes when the session has closed (by {@link #close()}, a bye, or its runtime closing). */
    public CompletableFuture<Void> closedFuture() {
        return closedFuture;
    }

    /** Adds a listener for connection-state changes; it runs on the session's event thread. */
    public PeerSession onStateChange(Consumer<ConnectionState> listener) {
        stateListeners.add(listener);
        return this;
    }

    /**
     * Adds a listener for failures that have no caller to return to (e.g. an offer that arrived
     * through the signaller and was malformed); it runs on the session's event thread. Failures are
     * logged too.
     */
    public PeerSession onError(Consumer<Throwable> listener) {
        errorListeners.add(listener);
        return this;
    }

    // ------------------------------------------------------------------ media

    /** A builder for a sender of local video and/or audio on this session. */
    public WebRtcTrackSender.Builder newSender(String senderName) {
        requireOpen("add sender '" + senderName + "'");
        return new WebRtcTrackSender.Builder(this, senderName);
    }

    /**
     * A source of the remote tracks' media. For each kind in {@code expect} that the session has
     * no transceiver of yet, a receive-only transceiver is added, so that an offer from this
     * session asks the peer for it.
     */
    public WebRtcTrackReceiver newReceiver(String receiverName, MediaKind... expect) {
        requireOpen("add receiver '" + receiverName + "'");
        return transceivers.newReceiver(receiverName, expect);
    }

    /** Opens a data channel (reliable, ordered) from this side. Negotiate afterwards if already connected. */
    public WebRtcDataChannel createDataChannel(String label) {
        requireOpen("create data channel '" + label + "'");
        return transceivers.createDataChannel(label);
    }

    /** Completes (on the event thread) when the peer opens a data channel with this label. */
    public CompletableFuture<WebRtcDataChannel> remoteDataChannel(String label) {
        return transceivers.remoteDataChannel(label);
    }

    /** A typed statistics snapshot; completes on the event thread. Bitrates are since the previous call. */
    public CompletableFuture<SessionStats> stats() {
        CompletableFuture<SessionStats> f = new CompletableFuture<>();
        events.execute(() -> pc.getStats(report -> calls.handOff(() -> f.complete(stats.parse(report)), f)), f);
        return f;
    }

    /**
     * The inbound streams' playout delays by kind ({@code audio}, {@code video}), in ms, from
     * libwebrtc's estimated playout timestamps (see {@link StatsCollector#playoutDelays}).
     * Completes on the event thread.
     */
    CompletableFuture<Map<String, Long>> playoutDelays() {
        CompletableFuture<Map<String, Long>> f = new CompletableFuture<>();
        events.execute(() -> pc.getStats(report -> calls.handOff(() -> f.complete(StatsCollector.playoutDelays(report)), f)), f);
        return f;
    }

    // ------------------------------------------------------------------ negotiation

    /** Creates an offer, sends it, and completes when the peer's answer has been applied. */
    public CompletableFuture<Void> negotiate() {
        return negotiation.offer(false);
    }

    /** Like {@link #negotiate()} with new ICE credentials: reconnects over a new candidate pair. */
    public CompletableFuture<Void> restartIce() {
        return negotiation.offer(true);
    }

    /**
     * Applies a remote offer, answers it and sends the answer; completes with the answer's SDP.
     * Called for offers arriving through the signaller; call it yourself only when your transport
     * bypasses the signaller.
     *
     * @return fails with {@link IllegalArgumentException} for something that is not SDP, and with
     *         {@link RtcException} when libwebrtc refuses the description
     */
    public CompletableFuture<String> acceptOffer(String sdp) {
        return negotiation.acceptOffer(sdp);
    }

    /**
     * Applies the peer's answer to this session's outstanding offer. Called for answers arriving
     * through the signaller.
     *
     * @return fails with {@link IllegalStateException} when there is no offer outstanding
     */
    public CompletableFuture<Void> acceptAnswer(String sdp) {
        return negotiation.acceptAnswer(sdp);
    }

    /**
     * Adds a remote ICE candidate; buffered until the remote description is set. Completes when
     * libwebrtc has it.
     *
     * @return fails with {@link IllegalArgumentException} for a malformed candidate or one for an
     *         m-line the remote description does not have
     */
    public CompletableFuture<Void> addRemoteCandidate(IceCandidate candidate) {
        return negotiation.addRemoteCandidate(candidate);
    }

    // ------------------------------------------------------------------ close

    /**
     * Sends a bye to the peer and closes (see the class comment for the order). Idempotent: a
     * second call does nothing. Blocks until done (at most 10 s), except when called on a
     * receiver's delivery thread, where it closes asynchronously (blocking there would deadlock
     * with the sink removal).
     */
    @Override
    public void close() {
        CompletableFuture<Void> f = closeAsync(true);
        if (inEventLoop()) {
            return;
        }
        try {
            f.get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            events.shutdownAndWait(CLOSE_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            throw new RtcException("session '" + name + "' did not close within " + CLOSE_TIMEOUT
                    + "; a listener on its event thread may be blocked", e);
        } catch (ExecutionException e) {
            throw new RtcException("session '" + name + "': closing failed: " + e.getCause(), e.getCause());
        }
    }

    /** Closes on the event thread; the future completes when closed. Idempotent. */
    public CompletableFuture<Void> closeAsync() {
        return closeAsync(true);
    }

    /** Closes on the event thread, with or without a bye to the peer (not when the peer said bye). */
    CompletableFuture<Void> closeAsync(boolean sendBye) {
        if (!closed.compareAndSet(false, true)) {
            return closedFuture;
        }
        boolean queued = events.executeLast(() -> {
            try {
                tearDown(sendBye);
                closedFuture.complete(null);
            } catch (Throwable t) {
                closedFuture.completeExceptionally(t);
            }
        });
        if (!queued) {
            closedFuture.complete(null);
        }
        return closedFuture;
    }

    /** Event thread: the order that never crashed. */
    private void tearDown(boolean sendBye) {
        transceivers.stopBeforeClose();
        if (sendBye) {
            try {
                signaller.sendBye();
            } catch (RuntimeException e) {
                log.warn("session '{}': sending bye failed; closing anyway", name, e);
            }
        }
        pc.close();
        transceivers.disposeSources();
        IllegalStateException gone = new IllegalStateException("session '" + name + "' closed");
        negotiation.closed(gone);
        transceivers.failAwaitedChannels(gone);
        connected.completeExceptionally(gone);
        transceivers.receiversClosed();
        setState(ConnectionState.CLOSED);
        runtime.sessionClosed(this);
        log.debug("session '{}' closed", name);
    }

    // ------------------------------------------------------------------ internals (package)

    RTCPeerConnection peerConnection() {
        return pc;
    }

    void addSender(WebRtcTrackSender s) {
        transceivers.addSender(s);
    }

    AudioTrack newLocalAudioTrack(String id) {
        return transceivers.newLocalAudioTrack(id);
    }

    /** Runs on the event thread; failures go to the error listeners. */
    void onEvents(Runnable r) {
        events.execute(r);
    }

    void applyCodecPreferences() {
        CodecPreferences.apply(runtime.factory(), pc, config.videoCodecs());
    }

    /**
     * Whether the caller runs on this session's event thread or inside an emit of one of its
     * receivers: there, blocking on the session would deadlock.
     */
    boolean inEventLoop() {
        return events.inEventLoop() || transceivers.inReceiverEmit();
    }

    /** A signalled message failed: tell the error listeners, unless it failed because the session closed. */
    void reportUnlessClosed(Throwable e) {
        if (e != null && !closed.get()) {
            reportError(e);
        }
    }

    void requireOpen(String what) {
        if (closed.get()) {
            throw new IllegalStateException("session '" + name + "' is closed: cannot " + what + "; create a new session");
        }
    }

    Void reportError(Throwable t) {
        Throwable e = Negotiation.unwrap(t);
        log.warn("session '{}': {}", name, e.getMessage());
        for (Consumer<Throwable> l : errorListeners) {
            try {
                l.accept(e);
            } catch (RuntimeException le) {
                log.warn("session '{}': an error listener threw", name, le);
            }
        }
        return null;
    }

    /** Event thread: libwebrtc reported a connection state. */
    void connectionChanged(ConnectionState s) {
        if (!closed.get()) {
            setState(s);
        }
    }

    SessionEventThread events() {
        return events;
    }

    Negotiation negotiation() {
        return negotiation;
    }

    Transceivers transceivers() {
        return transceivers;
    }

    private void setState(ConnectionState s) {
        if (state == s) {
            return;
        }
        state = s;
        if (s == ConnectionState.CONNECTED) {
            connected.complete(null);
        } else if (s == ConnectionState.FAILED) {
            connected.completeExceptionally(new RtcException("session '" + name + "': ICE failed; check the ICE servers, "
                    + "the UDP port range and the candidates the peer signalled"));
        }
        for (Consumer<ConnectionState> l : stateListeners) {
            try {
                l.accept(s);
            } catch (RuntimeException e) {
                log.warn("session '{}': a state listener threw", name, e);
            }
        }
    }

    @Override
    public String toString() {
        return "PeerSession('" + name + "', " + state + ")";
    }
}
