package dev.packetstream.webrtc;

import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.packetstream.core.peer.AbstractPeerSession;
import dev.packetstream.core.peer.OfferAnswer;
import dev.packetstream.core.peer.SessionEventThread;
import dev.packetstream.core.peer.Signaller;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
 * <h2>Negotiation and threads</h2>
 * As for every {@link AbstractPeerSession}; {@link #restartIce()} negotiates with new ICE
 * credentials. Add senders, receivers and data channels before negotiating (or negotiate again
 * afterwards). Remote candidates are buffered because libwebrtc drops early ones silently. The
 * event thread is {@code rtc-<runtime>-<session>-events}: every libwebrtc callback (which arrives
 * on the factory's signaling thread, where blocking deadlocks) is handed to it, and data-channel
 * deliveries run on it too.
 *
 * <h2>Close</h2>
 * {@link #close()} sends a bye and tears down in the order that never crashed: senders stop →
 * receivers' sinks are removed from remote tracks → data channels unregistered, closed and
 * disposed → the peer connection is closed → custom video sources disposed. Closing twice does
 * nothing. Futures still pending fail with {@link IllegalStateException}.
 *
 * <h2>Structure</h2>
 * This class is the facade of the media and the close order. What both kinds of session share is
 * the core's {@link AbstractPeerSession}: the event thread ({@link SessionEventThread}), the
 * offer/answer rules ({@link OfferAnswer}, with libwebrtc's part in {@link Negotiation}), state,
 * listeners and the close protocol. The media and data channels are {@link Transceivers}.
 */
public final class PeerSession extends AbstractPeerSession<ConnectionState, PeerSession> {
    private static final Logger log = LoggerFactory.getLogger(PeerSession.class);

    private final RtcRuntime runtime;
    private final String name;
    private final PeerSessionConfig config;
    private final Signaller signaller;
    private final NativeCalls calls;
    private final RTCPeerConnection pc;
    private final Negotiation libwebrtc;
    private final Transceivers transceivers;
    private final StatsCollector stats;

    PeerSession(RtcRuntime runtime, String name, int seq, PeerSessionConfig config, Signaller signaller) {
        super("rtc", runtime.name(), name, ConnectionState.class, RtcException::new,
                e -> new RtcException("session '" + name + "': libwebrtc refused: " + e.getMessage(), e));
        this.runtime = runtime;
        this.name = name;
        this.config = config == null ? PeerSessionConfig.defaults() : config;
        this.signaller = signaller;
        this.calls = new NativeCalls(name, events().executor());
        this.pc = runtime.factory().createPeerConnection(this.config.toRtcConfiguration(), new SessionObserver(this));
        if (pc == null) {
            events().shutdownNow();
            throw new RtcException("session '" + name + "': libwebrtc refused to create a peer connection; check the ICE server URLs "
                    + this.config.iceServers());
        }
        this.libwebrtc = new Negotiation(this, pc, calls, signaller);
        this.transceivers = new Transceivers(this, pc, events());
        this.stats = new StatsCollector(name);
        negotiateThrough(signaller, libwebrtc, null);
    }

    // ------------------------------------------------------------------ identity and state

    public RtcRuntime runtime() {
        return runtime;
    }

    public PeerSessionConfig config() {
        return config;
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
        events().execute(() -> pc.getStats(report -> calls.handOff(() -> f.complete(stats.parse(report)), f)), f);
        return f;
    }

    /**
     * The inbound streams' playout delays by kind ({@code audio}, {@code video}), in ms, from
     * libwebrtc's estimated playout timestamps (see {@link StatsCollector#playoutDelays}).
     * Completes on the event thread.
     */
    CompletableFuture<Map<String, Long>> playoutDelays() {
        CompletableFuture<Map<String, Long>> f = new CompletableFuture<>();
        events().execute(() -> pc.getStats(report -> calls.handOff(() -> f.complete(StatsCollector.playoutDelays(report)), f)), f);
        return f;
    }

    // ------------------------------------------------------------------ negotiation

    /** Like {@link #negotiate()} with new ICE credentials: reconnects over a new candidate pair. */
    public CompletableFuture<Void> restartIce() {
        return offerAnswer().offer(true);
    }

    // ------------------------------------------------------------------ close

    /** Event thread: the order that never crashed. */
    @Override
    protected void tearDown(boolean sendBye) {
        transceivers.stopBeforeClose();
        if (sendBye) {
            lifecycle().sendBye(signaller);
        }
        pc.close();
        transceivers.disposeSources();
        IllegalStateException gone = lifecycle().gone();
        offerAnswer().closed(gone);
        transceivers.failAwaitedChannels(gone);
        connected().completeExceptionally(gone);
        transceivers.receiversClosed();
        lifecycle().closed(gone);
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
        events().execute(r);
    }

    void applyCodecPreferences() {
        CodecPreferences.apply(runtime.factory(), pc, config.videoCodecs());
    }

    /**
     * Whether the caller runs on this session's event thread or inside an emit of one of its
     * receivers: there, blocking on the session would deadlock.
     */
    boolean inEventLoop() {
        return eventThread().inEventLoop() || transceivers.inReceiverEmit();
    }

    /** On a receiver's delivery thread too: blocking there would deadlock with the sink removal. */
    @Override
    protected boolean onOwnThread() {
        return inEventLoop();
    }

    private void requireOpen(String what) {
        lifecycle().requireOpen(what);
    }

    /** Event thread: libwebrtc reported a connection state. */
    void connectionChanged(ConnectionState s) {
        lifecycle().connectionChanged(s, "check the ICE servers, the UDP port range and the candidates the peer signalled");
    }

    SessionEventThread events() {
        return eventThread();
    }

    Negotiation negotiation() {
        return libwebrtc;
    }

    Transceivers transceivers() {
        return transceivers;
    }
}
