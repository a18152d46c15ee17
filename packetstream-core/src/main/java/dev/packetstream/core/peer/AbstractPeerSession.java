package dev.packetstream.core.peer;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What every peer session offers the same way, whatever its media engine (libwebrtc's
 * {@code PeerSession}, GStreamer's {@code EncodedPeerSession}): its name and connection state,
 * listeners, negotiation through a {@link Signaller}, and close. A session module extends it with
 * its media (senders, receivers) and its engine's part of negotiating ({@link OfferAnswer.Endpoint}).
 *
 * <h2>Negotiation</h2>
 * {@link #negotiate()} makes an offer, sends it and completes when the peer's answer has been
 * applied. An offer arriving through the signaller is answered automatically
 * ({@link #acceptOffer}); an answer completes the pending {@code negotiate()}; a bye closes the
 * session. Remote candidates are buffered until the remote description is set. Simultaneous
 * offers (glare) are refused on the side that receives an offer while its own is outstanding. The
 * rules in full: {@link OfferAnswer}.
 *
 * <h2>Threads</h2>
 * Each session has one event thread ({@link SessionEventThread}): the engine's callbacks are handed
 * to it; state and error listeners, {@code Signaller.send...} calls and the dependent stages of
 * every future returned here run on it. Listeners may block briefly, but while they do, the
 * session processes nothing else. Public methods are thread safe.
 *
 * <h2>Close</h2>
 * {@link #close()} sends a bye and tears down as the event thread's last task (the order is the
 * module's, see its class comment); closing twice does nothing; futures still pending fail with
 * {@link IllegalStateException}.
 *
 * @param <S> the module's connection-state enum (W3C names)
 * @param <T> the session class itself, returned by the listener setters for chaining
 */
public abstract class AbstractPeerSession<S extends Enum<S>, T extends AbstractPeerSession<S, T>> implements AutoCloseable {
    private final SessionLifecycle<S> lifecycle;
    private final SessionEventThread events;
    private volatile OfferAnswer negotiation; // set once, at the end of the subclass constructor

    /**
     * Makes the lifecycle and the event thread, named {@code <engine>-<runtime>-<session>-events}.
     *
     * @param failure the module's exception, from a message and a cause (null when none)
     * @param refusal what an {@link Error} of the engine's binding becomes (see {@link SessionEventThread})
     * @throws IllegalArgumentException when the name is blank
     */
    protected AbstractPeerSession(String engine, String runtime, String name, Class<S> states,
            BiFunction<String, Throwable, ? extends RuntimeException> failure, Function<Error, ? extends Throwable> refusal) {
        this.lifecycle = new SessionLifecycle<>(name, states, failure);
        this.events = new SessionEventThread(engine + "-" + runtime + "-" + name + "-events", name, lifecycle::reportError, refusal);
    }

    /**
     * Constructor, last step: negotiates through {@code endpoint} and listens to {@code signaller}
     * (a bye closes the session without sending one back).
     *
     * @param answerTimeout how long an offer waits for its answer; null for as long as the session lives
     */
    protected final OfferAnswer negotiateThrough(Signaller signaller, OfferAnswer.Endpoint endpoint, Duration answerTimeout) {
        if (negotiation != null) {
            throw new IllegalStateException("session '" + name() + "' already negotiates");
        }
        negotiation = new OfferAnswer(lifecycle, events, signaller, endpoint, answerTimeout);
        negotiation.listen(() -> closeAsync(false));
        return negotiation;
    }

    // ------------------------------------------------------------------ identity and state

    public final String name() {
        return lifecycle.name();
    }

    /** The last connection state seen. */
    public final S state() {
        return lifecycle.state();
    }

    public final boolean isClosed() {
        return lifecycle.isClosed();
    }

    /**
     * Completes (on the event thread) when the connection first reaches CONNECTED; fails when it
     * fails or the session closes first.
     */
    public final CompletableFuture<Void> connected() {
        return lifecycle.connected();
    }

    /** Completes when the session has closed (by {@link #close()}, a bye, or its runtime closing). */
    public final CompletableFuture<Void> closedFuture() {
        return lifecycle.closedFuture();
    }

    /** Adds a listener for connection-state changes; it runs on the session's event thread. */
    public final T onStateChange(Consumer<S> listener) {
        lifecycle.addStateListener(listener);
        return self();
    }

    /**
     * Adds a listener for failures that have no caller to return to (e.g. an offer that arrived
     * through the signaller and was malformed); it runs on the session's event thread. Failures are
     * logged too.
     */
    public final T onError(Consumer<Throwable> listener) {
        lifecycle.addErrorListener(listener);
        return self();
    }

    // ------------------------------------------------------------------ negotiation

    /** Creates an offer, sends it, and completes when the peer's answer has been applied. */
    public final CompletableFuture<Void> negotiate() {
        return negotiation.offer(false);
    }

    /**
     * Applies a remote offer, answers it and sends the answer; completes with the answer's SDP.
     * Called for offers arriving through the signaller; call it yourself only when your transport
     * bypasses the signaller.
     *
     * @return fails with {@link IllegalArgumentException} for something that is not SDP, and with
     *         the module's exception when the engine refuses the description
     */
    public final CompletableFuture<String> acceptOffer(String sdp) {
        return negotiation.acceptOffer(sdp);
    }

    /**
     * Applies the peer's answer to this session's outstanding offer. Called for answers arriving
     * through the signaller.
     *
     * @return fails with {@link IllegalStateException} when there is no offer outstanding
     */
    public final CompletableFuture<Void> acceptAnswer(String sdp) {
        return negotiation.acceptAnswer(sdp);
    }

    /**
     * Adds a remote ICE candidate; buffered until the remote description is set. Completes when
     * the engine has it.
     *
     * @return fails with {@link IllegalArgumentException} for a malformed candidate or one for an
     *         m-line the remote description does not have
     */
    public final CompletableFuture<Void> addRemoteCandidate(IceCandidate candidate) {
        return negotiation.addRemoteCandidate(candidate);
    }

    // ------------------------------------------------------------------ close

    /**
     * Sends a bye to the peer and closes. Idempotent: a second call does nothing. Blocks until done
     * (at most 10 s each for the tear-down and the event thread's end), except when called on one
     * of the session's own threads ({@link #onOwnThread()}), where it closes asynchronously.
     */
    @Override
    public final void close() {
        CompletableFuture<Void> f = closeAsync(true);
        if (!onOwnThread()) {
            lifecycle.awaitClose(f, events);
        }
    }

    /** Closes on the event thread; the future completes when closed. Idempotent. */
    public final CompletableFuture<Void> closeAsync() {
        return closeAsync(true);
    }

    /** Closes on the event thread, with or without a bye to the peer (not when the peer said bye). */
    protected final CompletableFuture<Void> closeAsync(boolean sendBye) {
        if (!lifecycle.beginClose()) {
            return lifecycle.closedFuture();
        }
        beforeClose();
        return lifecycle.closeOn(events, () -> tearDown(sendBye));
    }

    /** Any thread, once, as closing starts: release waits that hold the event thread (none by default). */
    protected void beforeClose() {
    }

    /**
     * Event thread, the last task: sends a bye if {@code sendBye} ({@link SessionLifecycle#sendBye}),
     * releases the engine in the module's order, fails what is pending ({@link OfferAnswer#closed},
     * {@link SessionLifecycle#closed}).
     */
    protected abstract void tearDown(boolean sendBye);

    /**
     * Whether the caller runs where blocking on the session would deadlock: its event thread (by
     * default), or a thread of the engine that closing waits for.
     */
    protected boolean onOwnThread() {
        return events.inEventLoop();
    }

    // ------------------------------------------------------------------ for the module

    protected final SessionLifecycle<S> lifecycle() {
        return lifecycle;
    }

    protected final SessionEventThread eventThread() {
        return events;
    }

    protected final OfferAnswer offerAnswer() {
        return negotiation;
    }

    @SuppressWarnings("unchecked")
    private T self() {
        return (T) this;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "('" + name() + "', " + state() + ")";
    }
}
