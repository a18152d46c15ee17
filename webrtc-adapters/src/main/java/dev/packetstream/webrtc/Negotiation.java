package dev.packetstream.webrtc;

import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.RTCSignalingState;
import dev.packetstream.core.peer.IceCandidate;
import dev.packetstream.core.peer.Signaller;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A session's offer/answer state machine: at most one offer of ours waiting for its answer, remote
 * candidates buffered until a remote description is set (libwebrtc drops early ones silently),
 * glare refused on the side that receives an offer while its own is outstanding.
 *
 * <h2>Threads</h2>
 * Its state is confined to the session's event thread: every public entry hops there first, and
 * the native calls' results come back there.
 */
final class Negotiation {
    private final PeerSession session;
    private final RTCPeerConnection pc;
    private final NativeCalls calls;
    private final SessionEventThread events;
    private final Signaller signaller;

    // event-thread state
    private boolean remoteDescriptionSet;
    private final List<PendingCandidate> pendingCandidates = new ArrayList<>();
    private CompletableFuture<Void> pendingAnswer;

    private record PendingCandidate(IceCandidate candidate, CompletableFuture<Void> done) {
    }

    Negotiation(PeerSession session, RTCPeerConnection pc, NativeCalls calls, SessionEventThread events, Signaller signaller) {
        this.session = session;
        this.pc = pc;
        this.calls = calls;
        this.events = events;
        this.signaller = signaller;
    }

    /** Answers what the peer sends through {@code signaller}: offers, answers, candidates and bye. */
    void listenTo(Signaller signaller) {
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
                if (candidate.isEndOfCandidates()) {
                    return; // libwebrtc needs no notice of the end of candidates
                }
                addRemoteCandidate(candidate).whenComplete((v, e) -> session.reportUnlessClosed(e));
            }

            @Override
            public void onBye() {
                session.closeAsync(false);
            }
        });
    }

    /** Creates an offer (with new ICE credentials if asked), sends it; completes when its answer is applied. */
    CompletableFuture<Void> offer(boolean iceRestart) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        events.execute(() -> {
            session.requireOpen("negotiate");
            if (pendingAnswer != null) {
                throw new IllegalStateException("session '" + name() + "': a negotiation is already waiting for its answer; "
                        + "wait for the future of the previous negotiate() before starting another");
            }
            pendingAnswer = done;
            session.applyCodecPreferences();
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

    /** Applies a remote offer, answers it and sends the answer; completes with the answer's SDP. */
    CompletableFuture<String> acceptOffer(String sdp) {
        CompletableFuture<String> done = new CompletableFuture<>();
        events.execute(() -> {
            session.requireOpen("accept an offer");
            SdpChecks.requireSdp(name(), "remote offer", sdp);
            if (pc.getSignalingState() == RTCSignalingState.HAVE_LOCAL_OFFER) {
                throw new IllegalStateException("session '" + name() + "' received an offer while its own offer is outstanding "
                        + "(glare); let only one side call negotiate() at a time");
            }
            calls.setRemote(pc, new RTCSessionDescription(RTCSdpType.OFFER, sdp))
                    .thenCompose(v -> {
                        remoteDescriptionSet();
                        session.applyCodecPreferences();
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

    /** Applies the peer's answer to our outstanding offer. */
    CompletableFuture<Void> acceptAnswer(String sdp) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        events.execute(() -> {
            session.requireOpen("accept an answer");
            SdpChecks.requireSdp(name(), "remote answer", sdp);
            RTCSignalingState s = pc.getSignalingState();
            if (s != RTCSignalingState.HAVE_LOCAL_OFFER) {
                throw new IllegalStateException("session '" + name() + "' received an answer but has no offer outstanding (signaling state "
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

    /** Adds a remote candidate, buffered until the remote description is set. */
    CompletableFuture<Void> addRemoteCandidate(IceCandidate candidate) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        events.execute(() -> {
            session.requireOpen("add a remote candidate");
            SdpChecks.requireCandidate(name(), candidate);
            if (!remoteDescriptionSet) {
                pendingCandidates.add(new PendingCandidate(candidate, done));
                return;
            }
            applyCandidate(candidate);
            done.complete(null);
        }, done);
        return done;
    }

    /** Event thread: libwebrtc gathered a local candidate; filtered by the config, then signalled. */
    void localCandidate(IceCandidate local) {
        PeerSessionConfig config = session.config();
        if (config.loopbackOnly()) {
            if (!local.type().equals("host") || local.candidate().contains(" tcp ") || local.candidate().contains(" TCP ")) {
                return;
            }
            local = local.withAddress("127.0.0.1");
        }
        IceCandidate out = config.candidateFilter().apply(local);
        if (out != null) {
            signaller.sendCandidate(out);
        }
    }

    /** Event thread, at close: what is still pending fails with {@code gone}. */
    void closed(IllegalStateException gone) {
        failPendingAnswer(gone);
        for (PendingCandidate p : pendingCandidates) {
            p.done.completeExceptionally(gone);
        }
        pendingCandidates.clear();
    }

    private void failPendingAnswer(Throwable e) {
        CompletableFuture<Void> p = pendingAnswer;
        pendingAnswer = null;
        if (p != null) {
            p.completeExceptionally(unwrap(e));
        }
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
        String sdp = remote == null ? "" : remote.sdp;
        int index = SdpChecks.sectionIndex(name(), c, sdp);
        String mid = c.sdpMid() != null ? c.sdpMid() : SdpChecks.mids(sdp).get(index);
        pc.addIceCandidate(new RTCIceCandidate(mid == null ? "" : mid, index, c.candidate()));
    }

    private String name() {
        return session.name();
    }

    static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
