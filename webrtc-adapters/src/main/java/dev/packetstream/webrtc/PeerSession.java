package dev.packetstream.webrtc;

import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.PortAllocatorConfig;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceServer;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCRtpTransceiverDirection;
import dev.onvoid.webrtc.RTCRtpTransceiverInit;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.RTCSignalingState;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.audio.AudioOptions;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.VideoTrack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 */
public final class PeerSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PeerSession.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final RtcRuntime runtime;
    private final String name;
    private final PeerSessionConfig config;
    private final Signaller signaller;
    private final ExecutorService events;
    private final NativeCalls calls;
    private final RTCPeerConnection pc;
    private volatile Thread eventThread;

    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> closedFuture = new CompletableFuture<>();
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private volatile ConnectionState state = ConnectionState.NEW;
    private final List<Consumer<ConnectionState>> stateListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Throwable>> errorListeners = new CopyOnWriteArrayList<>();

    // event-thread state
    private boolean remoteDescriptionSet;
    private final List<PendingCandidate> pendingCandidates = new ArrayList<>();
    private CompletableFuture<Void> pendingAnswer;
    private final List<MediaStreamTrack> remoteTracks = new ArrayList<>();
    private final Map<String, CompletableFuture<WebRtcDataChannel>> remoteChannels = new HashMap<>();

    private final List<WebRtcTrackSender> senders = new CopyOnWriteArrayList<>();
    private final List<WebRtcTrackReceiver> receivers = new CopyOnWriteArrayList<>();
    private final List<WebRtcDataChannel> dataChannels = new CopyOnWriteArrayList<>();
    /** Sources of placeholder tracks for receive-only transceivers; disposed after close. */
    private final List<CustomVideoSource> placeholderSources = new CopyOnWriteArrayList<>();
    private final StatsCollector stats;

    private record PendingCandidate(IceCandidate candidate, CompletableFuture<Void> done) {
    }

    PeerSession(RtcRuntime runtime, String name, int seq, PeerSessionConfig config, Signaller signaller) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a session needs a name: it appears in thread names and errors");
        }
        this.runtime = runtime;
        this.name = name;
        this.config = config == null ? PeerSessionConfig.defaults() : config;
        this.signaller = signaller;
        String threadName = "rtc-" + runtime.name() + "-" + name + "-events";
        this.events = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            eventThread = t;
            return t;
        });
        this.calls = new NativeCalls(name, events);
        this.pc = runtime.factory().createPeerConnection(rtcConfiguration(this.config), new Observer());
        if (pc == null) {
            events.shutdown();
            throw new RtcException("session '" + name + "': libwebrtc refused to create a peer connection; check the ICE server URLs "
                    + this.config.iceServers());
        }
        this.stats = new StatsCollector(name);
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
                addRemoteCandidate(candidate).whenComplete((v, e) -> reportUnlessClosed(e));
            }

            @Override
            public void onBye() {
                closeAsync(false);
            }
        });
    }

    /** A signalled message failed: tell the error listeners, unless it failed because the session closed. */
    private void reportUnlessClosed(Throwable e) {
        if (e != null && !closed.get()) {
            reportError(e);
        }
    }

    private static RTCConfiguration rtcConfiguration(PeerSessionConfig config) {
        RTCConfiguration c = new RTCConfiguration();
        for (IceServer s : config.iceServers()) {
            RTCIceServer r = new RTCIceServer();
            r.urls.addAll(s.urls());
            r.username = s.username();
            r.password = s.credential();
            c.iceServers.add(r);
        }
        PortAllocatorConfig p = new PortAllocatorConfig();
        p.minPort = config.minPort();
        p.maxPort = config.maxPort();
        if (config.loopbackOnly()) {
            p.setDisableStun(true).setDisableRelay(true).setDisableTcp(true).setDisableAdapterEnumeration(true);
        }
        c.portAllocatorConfig = p;
        return c;
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
        for (MediaKind k : expect) {
            ensureReceiveTransceiver(k);
        }
        WebRtcTrackReceiver r = new WebRtcTrackReceiver(this, receiverName);
        receivers.add(r);
        onEvents(() -> {
            for (MediaStreamTrack t : remoteTracks) {
                r.attachTrack(t);
            }
        });
        return r;
    }

    /** Opens a data channel (reliable, ordered) from this side. Negotiate afterwards if already connected. */
    public WebRtcDataChannel createDataChannel(String label) {
        requireOpen("create data channel '" + label + "'");
        RTCDataChannelInit init = new RTCDataChannelInit();
        RTCDataChannel ch = pc.createDataChannel(label, init);
        if (ch == null) {
            throw new RtcException("session '" + name + "': libwebrtc refused data channel '" + label + "'");
        }
        WebRtcDataChannel w = new WebRtcDataChannel(this, ch, label);
        dataChannels.add(w);
        return w;
    }

    /** Completes (on the event thread) when the peer opens a data channel with this label. */
    public CompletableFuture<WebRtcDataChannel> remoteDataChannel(String label) {
        CompletableFuture<WebRtcDataChannel> f = new CompletableFuture<>();
        onEvents(() -> remoteChannels.computeIfAbsent(label, l -> new CompletableFuture<>()).whenComplete((c, e) -> {
            if (e != null) {
                f.completeExceptionally(e);
            } else {
                f.complete(c);
            }
        }), f);
        return f;
    }

    /** A typed statistics snapshot; completes on the event thread. Bitrates are since the previous call. */
    public CompletableFuture<SessionStats> stats() {
        CompletableFuture<SessionStats> f = new CompletableFuture<>();
        onEvents(() -> pc.getStats(report -> calls.handOff(() -> f.complete(stats.parse(report)), f)), f);
        return f;
    }

    /**
     * The inbound streams' playout delays by kind ({@code audio}, {@code video}), in ms, from
     * libwebrtc's estimated playout timestamps (see {@link StatsCollector#playoutDelays}).
     * Completes on the event thread.
     */
    CompletableFuture<Map<String, Long>> playoutDelays() {
        CompletableFuture<Map<String, Long>> f = new CompletableFuture<>();
        onEvents(() -> pc.getStats(report -> calls.handOff(() -> f.complete(StatsCollector.playoutDelays(report)), f)), f);
        return f;
    }

    // ------------------------------------------------------------------ negotiation

    /** Creates an offer, sends it, and completes when the peer's answer has been applied. */
    public CompletableFuture<Void> negotiate() {
        return offer(false);
    }

    /** Like {@link #negotiate()} with new ICE credentials: reconnects over a new candidate pair. */
    public CompletableFuture<Void> restartIce() {
        return offer(true);
    }

    private CompletableFuture<Void> offer(boolean iceRestart) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        onEvents(() -> {
            requireOpen("negotiate");
            if (pendingAnswer != null) {
                throw new IllegalStateException("session '" + name + "': a negotiation is already waiting for its answer; "
                        + "wait for the future of the previous negotiate() before starting another");
            }
            pendingAnswer = done;
            CodecPreferences.apply(runtime.factory(), pc, config.videoCodecs());
            RTCOfferOptions o = new RTCOfferOptions();
            o.iceRestart = iceRestart;
            calls.createOffer(pc, o)
                    .thenCompose(d -> calls.setLocal(pc, d).thenApply(v -> d))
                    .whenComplete((d, e) -> {
                        if (e != null) {
                            failPendingAnswer(e);
                        } else {
                            signaller.sendOffer(d.sdp);
                        }
                    });
        }, done);
        return done;
    }

    private void failPendingAnswer(Throwable e) {
        CompletableFuture<Void> p = pendingAnswer;
        pendingAnswer = null;
        if (p != null) {
            p.completeExceptionally(unwrap(e));
        }
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
        CompletableFuture<String> done = new CompletableFuture<>();
        onEvents(() -> {
            requireOpen("accept an offer");
            SdpChecks.requireSdp(name, "remote offer", sdp);
            if (pc.getSignalingState() == RTCSignalingState.HAVE_LOCAL_OFFER) {
                throw new IllegalStateException("session '" + name + "' received an offer while its own offer is outstanding "
                        + "(glare); let only one side call negotiate() at a time");
            }
            calls.setRemote(pc, new RTCSessionDescription(RTCSdpType.OFFER, sdp))
                    .thenCompose(v -> {
                        remoteDescriptionSet();
                        CodecPreferences.apply(runtime.factory(), pc, config.videoCodecs());
                        return calls.createAnswer(pc);
                    })
                    .thenCompose(a -> calls.setLocal(pc, a).thenApply(v -> a))
                    .whenComplete((a, e) -> {
                        if (e != null) {
                            done.completeExceptionally(unwrap(e));
                        } else {
                            signaller.sendAnswer(a.sdp);
                            done.complete(a.sdp);
                        }
                    });
        }, done);
        return done;
    }

    /**
     * Applies the peer's answer to this session's outstanding offer. Called for answers arriving
     * through the signaller.
     *
     * @return fails with {@link IllegalStateException} when there is no offer outstanding
     */
    public CompletableFuture<Void> acceptAnswer(String sdp) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        onEvents(() -> {
            requireOpen("accept an answer");
            SdpChecks.requireSdp(name, "remote answer", sdp);
            RTCSignalingState s = pc.getSignalingState();
            if (s != RTCSignalingState.HAVE_LOCAL_OFFER) {
                throw new IllegalStateException("session '" + name + "' received an answer but has no offer outstanding (signaling state "
                        + s + "); an answer is only valid after this session's negotiate()");
            }
            calls.setRemote(pc, new RTCSessionDescription(RTCSdpType.ANSWER, sdp)).whenComplete((v, e) -> {
                if (e != null) {
                    done.completeExceptionally(unwrap(e));
                    failPendingAnswer(e);
                    return;
                }
                remoteDescriptionSet();
                done.complete(null);
                CompletableFuture<Void> p = pendingAnswer;
                pendingAnswer = null;
                if (p != null) {
                    p.complete(null);
                }
            });
        }, done);
        return done;
    }

    /**
     * Adds a remote ICE candidate; buffered until the remote description is set. Completes when
     * libwebrtc has it.
     *
     * @return fails with {@link IllegalArgumentException} for a malformed candidate or one for an
     *         m-line the remote description does not have
     */
    public CompletableFuture<Void> addRemoteCandidate(IceCandidate candidate) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        onEvents(() -> {
            requireOpen("add a remote candidate");
            SdpChecks.requireCandidate(name, candidate);
            if (!remoteDescriptionSet) {
                pendingCandidates.add(new PendingCandidate(candidate, done));
                return;
            }
            applyCandidate(candidate);
            done.complete(null);
        }, done);
        return done;
    }

    private void remoteDescriptionSet() {
        remoteDescriptionSet = true;
        List<PendingCandidate> buffered = new ArrayList<>(pendingCandidates);
        pendingCandidates.clear();
        for (PendingCandidate p : buffered) {
            try {
                applyCandidate(p.candidate);
                p.done.complete(null);
            } catch (Exception | Error e) { // the JNI layer throws checked exceptions and Errors undeclared
                p.done.completeExceptionally(e);
            }
        }
    }

    private void applyCandidate(IceCandidate c) {
        RTCSessionDescription remote = pc.getRemoteDescription();
        SdpChecks.requireKnownSection(name, c, remote == null ? "" : remote.sdp);
        pc.addIceCandidate(new RTCIceCandidate(c.sdpMid(), c.sdpMLineIndex(), c.candidate()));
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
        if (isOwnThread()) {
            return;
        }
        try {
            f.get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            events.shutdown();
            events.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            throw new RtcException("session '" + name + "' did not close within " + CLOSE_TIMEOUT
                    + "; a listener on its event thread may be blocked", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new RtcException("session '" + name + "': closing failed: " + e.getCause(), e.getCause());
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
        try {
            events.execute(() -> {
                try {
                    tearDown(sendBye);
                    closedFuture.complete(null);
                } catch (Throwable t) {
                    closedFuture.completeExceptionally(t);
                } finally {
                    events.shutdown();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            closedFuture.complete(null);
        }
        return closedFuture;
    }

    private void tearDown(boolean sendBye) {
        for (WebRtcTrackSender s : senders) {
            s.stopPushing();
        }
        for (WebRtcTrackReceiver r : receivers) {
            r.detachAll();
        }
        for (WebRtcDataChannel d : dataChannels) {
            d.closeNative();
        }
        if (sendBye) {
            try {
                signaller.sendBye();
            } catch (RuntimeException e) {
                log.warn("session '{}': sending bye failed; closing anyway", name, e);
            }
        }
        pc.close();
        for (WebRtcTrackSender s : senders) {
            s.disposeSources();
        }
        for (CustomVideoSource s : placeholderSources) {
            s.dispose();
        }
        IllegalStateException gone = new IllegalStateException("session '" + name + "' closed");
        failPendingAnswer(gone);
        for (PendingCandidate p : pendingCandidates) {
            p.done.completeExceptionally(gone);
        }
        pendingCandidates.clear();
        remoteChannels.values().forEach(f -> f.completeExceptionally(gone));
        connected.completeExceptionally(gone);
        for (WebRtcTrackReceiver r : receivers) {
            r.sessionClosed();
        }
        setState(ConnectionState.CLOSED);
        runtime.sessionClosed(this);
        log.debug("session '{}' closed", name);
    }

    // ------------------------------------------------------------------ internals

    RTCPeerConnection peerConnection() {
        return pc;
    }

    void addSender(WebRtcTrackSender s) {
        senders.add(s);
    }

    void removeSender(WebRtcTrackSender s) {
        senders.remove(s);
    }

    void removeReceiver(WebRtcTrackReceiver r) {
        receivers.remove(r);
    }

    AudioTrack newLocalAudioTrack(String id) {
        AudioOptions o = new AudioOptions(); // all processing off: it would cut the level of our audio
        o.echoCancellation = false;
        o.autoGainControl = false;
        o.noiseSuppression = false;
        o.highpassFilter = false;
        return runtime.factory().createAudioTrack(id, runtime.factory().createAudioSource(o));
    }

    private void ensureReceiveTransceiver(MediaKind kind) {
        String k = kind == MediaKind.VIDEO ? MediaStreamTrack.VIDEO_TRACK_KIND : MediaStreamTrack.AUDIO_TRACK_KIND;
        for (RTCRtpTransceiver t : pc.getTransceivers()) {
            MediaStreamTrack track = t.getReceiver().getTrack();
            if (track != null && k.equals(track.getKind())) {
                return;
            }
        }
        // libwebrtc's Java API needs a track to add a transceiver: a placeholder that never sends
        MediaStreamTrack placeholder;
        if (kind == MediaKind.VIDEO) {
            CustomVideoSource src = new CustomVideoSource();
            placeholderSources.add(src);
            placeholder = runtime.factory().createVideoTrack(name + "-recv-video", src);
        } else {
            placeholder = newLocalAudioTrack(name + "-recv-audio");
        }
        RTCRtpTransceiverInit init = new RTCRtpTransceiverInit();
        init.direction = RTCRtpTransceiverDirection.RECV_ONLY;
        pc.addTransceiver(placeholder, init);
    }

    /** Runs on the event thread; failures go to the error listeners. */
    void onEvents(Runnable r) {
        try {
            events.execute(() -> {
                try {
                    r.run();
                } catch (Exception | LinkageError | AssertionError e) {
                    reportError(e); // also the JNI layer's undeclared checked exceptions and Errors
                } catch (Error e) {
                    if (e instanceof VirtualMachineError) {
                        throw e;
                    }
                    reportError(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("session '{}' is closed: dropped an event", name);
        }
    }

    /** Runs on the event thread; failures complete {@code f}. */
    private void onEvents(Runnable r, CompletableFuture<?> f) {
        try {
            events.execute(() -> {
                try {
                    r.run();
                } catch (Exception e) { // also the JNI layer's undeclared checked exceptions
                    f.completeExceptionally(e);
                } catch (Error e) { // the JNI layer reports some refusals as java.lang.Error
                    if (e instanceof VirtualMachineError) {
                        throw e;
                    }
                    f.completeExceptionally(new RtcException("session '" + name + "': libwebrtc refused: " + e.getMessage(), e));
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            f.completeExceptionally(new IllegalStateException("session '" + name + "' is closed"));
        }
    }

    /** Whether the caller runs on this session's event thread or one of its receivers' delivery threads. */
    boolean isOwnThread() {
        return Thread.currentThread() == eventThread || WebRtcTrackReceiver.isDeliveryThread(receivers);
    }

    Void reportError(Throwable t) {
        Throwable e = unwrap(t);
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

    private static Throwable unwrap(Throwable t) {
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private void requireOpen(String what) {
        if (closed.get()) {
            throw new IllegalStateException("session '" + name + "' is closed: cannot " + what + "; create a new session");
        }
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

    /** libwebrtc's callbacks: all on the signaling thread, all handed to the event thread. */
    private final class Observer implements PeerConnectionObserver {
        @Override
        public void onIceCandidate(RTCIceCandidate c) {
            onEvents(() -> {
                IceCandidate local = new IceCandidate(c.sdpMid, c.sdpMLineIndex, c.sdp);
                if (config.loopbackOnly()) {
                    if (!local.type().equals("host") || local.candidate().contains(" tcp ") || local.candidate().contains(" TCP ")) {
                        return;
                    }
                    local = local.withAddress("127.0.0.1");
                }
                IceCandidate out = config.candidateFilter().apply(local);
                if (out != null && !closed.get()) {
                    signaller.sendCandidate(out);
                }
            });
        }

        @Override
        public void onConnectionChange(RTCPeerConnectionState s) {
            onEvents(() -> {
                if (!closed.get()) {
                    setState(ConnectionState.of(s));
                }
            });
        }

        @Override
        public void onTrack(RTCRtpTransceiver transceiver) {
            MediaStreamTrack track = transceiver.getReceiver().getTrack();
            onEvents(() -> {
                if (closed.get() || track == null || remoteTracks.stream().anyMatch(t -> t.getId().equals(track.getId()))) {
                    return;
                }
                remoteTracks.add(track);
                for (WebRtcTrackReceiver r : receivers) {
                    r.attachTrack(track);
                }
            });
        }

        @Override
        public void onDataChannel(RTCDataChannel channel) {
            String label = channel.getLabel();
            WebRtcDataChannel w = new WebRtcDataChannel(PeerSession.this, channel, label); // registers its observer now
            dataChannels.add(w);
            onEvents(() -> remoteChannels.computeIfAbsent(label, l -> new CompletableFuture<>()).complete(w));
        }
    }
}
