package dev.packetstream.core.peer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A peer session's offer/answer bookkeeping, shared by both kinds of session: the signaling state,
 * at most one offer of ours waiting for its answer, glare refused, remote candidates buffered until
 * a remote description is set. The media engine's part (making and applying descriptions, adding
 * a candidate) is an {@link Endpoint}.
 *
 * <h2>Rules</h2>
 * <ul>
 * <li><b>Offer</b> ({@link #offer}): refused while an offer of ours is waiting for its answer. The
 *     offer is made and set locally, the state becomes {@link State#HAVE_LOCAL_OFFER}, the offer is
 *     sent; the future completes when the answer has been applied, or fails when making the offer,
 *     sending it or applying the answer fails, when no answer comes within the answer timeout (if
 *     one is set), or when the session closes.</li>
 * <li><b>Answer to a remote offer</b> ({@link #acceptOffer}): refused in
 *     {@link State#HAVE_LOCAL_OFFER} (glare: the side that receives an offer while its own is
 *     outstanding refuses it; let only one side offer at a time). The offer is set remotely (state
 *     {@link State#HAVE_REMOTE_OFFER}), buffered candidates are applied, the answer is made, set
 *     locally and sent; the state returns to {@link State#STABLE}.</li>
 * <li><b>Answer to our offer</b> ({@link #acceptAnswer}): refused unless in
 *     {@link State#HAVE_LOCAL_OFFER}.</li>
 * <li><b>Rollback</b>: a failed step of an exchange, or an answer that does not come in time,
 *     returns the bookkeeping to {@link State#STABLE}, so either side may offer again. The
 *     engine's own descriptions are not rolled back (neither engine supports it here): the engine
 *     may refuse the next exchange, with its own clear error.</li>
 * <li><b>Remote candidates</b> ({@link #addRemoteCandidate}): checked at once, buffered until a
 *     remote description is set (the engines drop early ones silently), then applied in order;
 *     each future completes when its candidate is applied. The end-of-candidates marker completes
 *     at once and is not passed on (neither engine needs it).</li>
 * <li><b>Close</b> ({@link #closed}): the pending offer and buffered candidates fail.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * All state is confined to the session's {@link SessionEventThread}: every public entry hands over
 * to it, and an {@link Endpoint}'s futures must complete there too (an engine with callbacks on
 * its own threads hands them over; a blocking engine returns completed futures).
 */
public final class OfferAnswer {
    /** The signaling state, as in the W3C API (without the provisional answers). */
    public enum State {
        STABLE, HAVE_LOCAL_OFFER, HAVE_REMOTE_OFFER
    }

    /**
     * The media engine's part of negotiating. Called on the event thread; a step may throw or
     * return a failed future, with an exception that names the session and what to check.
     */
    public interface Endpoint {
        /** Makes an offer (with new ICE credentials if asked) and sets it locally; its SDP. */
        CompletableFuture<String> createAndSetOffer(boolean iceRestart);

        /** Sets the peer's offer as the remote description. */
        CompletableFuture<Void> setRemoteOffer(String sdp);

        /** Makes the answer to {@code remoteOffer} and sets it locally; its SDP. */
        CompletableFuture<String> createAndSetAnswer(String remoteOffer);

        /** Sets the peer's answer to our offer as the remote description. */
        CompletableFuture<Void> setRemoteAnswer(String sdp);

        /** Applies a checked remote candidate; {@code remoteSdp} is the remote description set. */
        void addRemoteCandidate(IceCandidate candidate, String remoteSdp);
    }

    private final SessionLifecycle<?> session;
    private final SessionEventThread events;
    private final Signaller signaller;
    private final Endpoint endpoint;
    private final Duration answerTimeout;

    // event-thread state
    private State state = State.STABLE;
    private String remoteSdp;
    private CompletableFuture<Void> pendingAnswer;
    private final List<PendingCandidate> pendingCandidates = new ArrayList<>();

    private record PendingCandidate(IceCandidate candidate, CompletableFuture<Void> done) {
    }

    /**
     * @param answerTimeout how long an offer waits for its answer; null for as long as the session lives
     */
    public OfferAnswer(SessionLifecycle<?> session, SessionEventThread events, Signaller signaller, Endpoint endpoint,
            Duration answerTimeout) {
        this.session = session;
        this.events = events;
        this.signaller = signaller;
        this.endpoint = endpoint;
        this.answerTimeout = answerTimeout;
    }

    /**
     * Binds to the signaller: offers are answered, answers applied, candidates added (failures go
     * to the session's error listeners unless it has closed); a bye runs {@code onBye}.
     */
    public void listen(Runnable onBye) {
        signaller.bind(new Signaller.Listener() {
            @Override
            public void onOffer(String sdp) {
                acceptOffer(sdp).whenComplete((a, e) -> session.reportUnlessClosed(e));
            }

            @Override
            public void onAnswer(String sdp) {
                acceptAnswer(sdp).whenComplete((v, e) -> session.reportUnlessClosed(e));
            }

            @Override
            public void onCandidate(IceCandidate candidate) {
                addRemoteCandidate(candidate).whenComplete((v, e) -> session.reportUnlessClosed(e));
            }

            @Override
            public void onBye() {
                onBye.run();
            }
        });
    }

    /** Makes an offer (with new ICE credentials if asked), sends it; completes when its answer is applied. */
    public CompletableFuture<Void> offer(boolean iceRestart) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        events.execute(() -> {
            session.requireOpen("negotiate");
            if (pendingAnswer != null) {
                throw new IllegalStateException("session '" + session.name() + "': a negotiation is already waiting for its answer; "
                        + "wait for the future of the previous negotiate() before starting another");
            }
            pendingAnswer = done;
            step(() -> endpoint.createAndSetOffer(iceRestart)).whenComplete((sdp, e) -> {
                if (pendingAnswer != done) {
                    return; // closed meanwhile: already failed
                }
                if (e != null) {
                    failPendingAnswer(e);
                    return;
                }
                state = State.HAVE_LOCAL_OFFER;
                if (answerTimeout != null) {
                    events.schedule(() -> answerTimedOut(done), answerTimeout);
                }
                try {
                    signaller.sendOffer(sdp);
                } catch (RuntimeException se) {
                    failPendingAnswer(se);
                }
            });
        }, done);
        return done;
    }

    /** Applies a remote offer, answers it and sends the answer; completes with the answer's SDP. */
    public CompletableFuture<String> acceptOffer(String sdp) {
        CompletableFuture<String> done = new CompletableFuture<>();
        events.execute(() -> {
            session.requireOpen("accept an offer");
            requireSdp("remote offer", sdp);
            if (state == State.HAVE_LOCAL_OFFER) {
                throw new IllegalStateException("session '" + session.name() + "' received an offer while its own offer is outstanding "
                        + "(glare); let only one side call negotiate() at a time");
            }
            step(() -> endpoint.setRemoteOffer(sdp))
                    .thenCompose(v -> {
                        state = State.HAVE_REMOTE_OFFER;
                        remoteDescriptionSet(sdp);
                        return step(() -> endpoint.createAndSetAnswer(sdp));
                    })
                    .whenComplete((answer, e) -> {
                        if (state == State.HAVE_REMOTE_OFFER) {
                            state = State.STABLE;
                        }
                        if (e != null) {
                            done.completeExceptionally(SessionLifecycle.unwrap(e));
                            return;
                        }
                        try {
                            signaller.sendAnswer(answer);
                            done.complete(answer);
                        } catch (RuntimeException se) {
                            done.completeExceptionally(se);
                        }
                    });
        }, done);
        return done;
    }

    /** Applies the peer's answer to our outstanding offer; fails when there is none. */
    public CompletableFuture<Void> acceptAnswer(String sdp) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        events.execute(() -> {
            session.requireOpen("accept an answer");
            requireSdp("remote answer", sdp);
            if (state != State.HAVE_LOCAL_OFFER) {
                throw new IllegalStateException("session '" + session.name() + "' received an answer but has no offer outstanding "
                        + "(signaling state " + state + "); an answer is only valid after this session's negotiate()");
            }
            CompletableFuture<Void> offer = pendingAnswer;
            step(() -> endpoint.setRemoteAnswer(sdp)).whenComplete((v, e) -> {
                if (e != null) {
                    done.completeExceptionally(SessionLifecycle.unwrap(e));
                    if (pendingAnswer == offer) {
                        failPendingAnswer(e);
                    }
                    return;
                }
                remoteDescriptionSet(sdp);
                done.complete(null);
                if (pendingAnswer == offer) {
                    pendingAnswer = null;
                    state = State.STABLE;
                    offer.complete(null);
                }
            });
        }, done);
        return done;
    }

    /** Adds a remote ICE candidate, buffered until the remote description is set. */
    public CompletableFuture<Void> addRemoteCandidate(IceCandidate candidate) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (candidate.isEndOfCandidates()) {
            done.complete(null);
            return done;
        }
        events.execute(() -> {
            session.requireOpen("add a remote candidate");
            requireCandidate(candidate);
            if (remoteSdp == null) {
                pendingCandidates.add(new PendingCandidate(candidate, done));
                return;
            }
            endpoint.addRemoteCandidate(candidate, remoteSdp);
            done.complete(null);
        }, done);
        return done;
    }

    /** Event thread: the signaling state. */
    public State state() {
        return state;
    }

    /** Event thread, at close: the pending offer and buffered candidates fail with {@code gone}. */
    public void closed(IllegalStateException gone) {
        failPendingAnswer(gone);
        for (PendingCandidate p : pendingCandidates) {
            p.done.completeExceptionally(gone);
        }
        pendingCandidates.clear();
    }

    private void answerTimedOut(CompletableFuture<Void> offer) {
        if (pendingAnswer == offer) {
            failPendingAnswer(new TimeoutException("session '" + session.name() + "': no answer within " + answerTimeout
                    + "; check that the peer is connected to the signaling transport"));
        }
    }

    private void failPendingAnswer(Throwable e) {
        CompletableFuture<Void> p = pendingAnswer;
        pendingAnswer = null;
        if (state == State.HAVE_LOCAL_OFFER) {
            state = State.STABLE;
        }
        if (p != null) {
            p.completeExceptionally(SessionLifecycle.unwrap(e));
        }
    }

    private void remoteDescriptionSet(String sdp) {
        remoteSdp = sdp;
        List<PendingCandidate> buffered = new ArrayList<>(pendingCandidates);
        pendingCandidates.clear();
        for (PendingCandidate p : buffered) {
            try {
                endpoint.addRemoteCandidate(p.candidate, sdp);
                p.done.complete(null);
            } catch (Exception | Error e) { // a native binding throws checked exceptions and Errors undeclared
                if (e instanceof VirtualMachineError) {
                    throw e;
                }
                p.done.completeExceptionally(e);
            }
        }
    }

    /** Runs an endpoint step; what it throws becomes a failed future. */
    private static <T> CompletableFuture<T> step(Supplier<CompletableFuture<T>> step) {
        try {
            return step.get();
        } catch (Exception | Error e) {
            if (e instanceof VirtualMachineError) {
                throw e;
            }
            return CompletableFuture.failedFuture(e);
        }
    }

    private void requireSdp(String what, String sdp) {
        if (sdp == null || !sdp.startsWith("v=0") || !sdp.contains("\nm=") && !sdp.contains("\rm=")) {
            String start = sdp == null ? "null" : "'" + sdp.substring(0, Math.min(20, sdp.length())).replace("\n", "\\n") + "'";
            throw new IllegalArgumentException("session '" + session.name() + "': the " + what
                    + " is not an SDP session description (it must start with v=0 and have m= lines; it starts with "
                    + start + "); check what the signaling transport delivers");
        }
    }

    private void requireCandidate(IceCandidate c) {
        String line = c.candidate().startsWith("a=") ? c.candidate().substring(2) : c.candidate();
        if (!line.startsWith("candidate:") || line.trim().split("\\s+").length < 8) {
            throw new IllegalArgumentException("session '" + session.name() + "': '" + c.candidate()
                    + "' is not an ICE candidate line (candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type>)");
        }
    }
}
