package dev.packetstream.webrtc.encoded;

import dev.packetstream.core.peer.IceCandidate;
import dev.packetstream.core.peer.Signaller;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's offer/answer state machine: making and applying descriptions through
 * {@link WebRtcBin}, the outstanding offer, remote candidates buffered until the remote
 * description is set, and local candidates passed to the {@link Signaller} with their mid.
 *
 * <h2>Threads</h2>
 * Every step runs on the session's event thread (the public entry points of
 * {@link EncodedPeerSession} hand over to it); the state here is only touched there.
 */
final class Negotiation {
    private static final Logger log = LoggerFactory.getLogger(Negotiation.class);

    private final EncodedPeerSession session;
    private final Signaller signaller;
    private final WebRtcBin bin;
    private final SessionThread events;

    private String localSdp = "";
    private String remoteSdp;
    private CompletableFuture<Void> pendingAnswer;
    private final List<PendingCandidate> pendingCandidates = new ArrayList<>();

    private record PendingCandidate(IceCandidate candidate, CompletableFuture<Void> done) {
    }

    Negotiation(EncodedPeerSession session, Signaller signaller, WebRtcBin bin, SessionThread events) {
        this.session = session;
        this.signaller = signaller;
        this.bin = bin;
        this.events = events;
    }


    /** Creates an offer, sends it, and completes when the peer's answer has been applied. */
    CompletableFuture<Void> negotiate() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        events.execute(() -> {
            session.requireOpen("negotiate");
            if (pendingAnswer != null) {
                throw new IllegalStateException("session '" + session.name() + "': a negotiation is already waiting for its answer; "
                        + "wait for the future of the previous negotiate() first");
            }
            awaitSenderCaps();
            String offer = bin.createOffer();
            bin.setLocal(GstApi.SDP_OFFER, offer);
            localSdp = offer;
            pendingAnswer = done;
            events.schedule(() -> {
                if (pendingAnswer == done) {
                    pendingAnswer = null;
                    done.completeExceptionally(new TimeoutException("session '" + session.name() + "': no answer within "
                            + session.config().negotiationTimeout() + "; check that the peer is connected to the signaling transport"));
                }
            }, session.config().negotiationTimeout());
            log.debug("session '{}' offers:\n{}", session.name(), offer);
            signaller.sendOffer(offer);
        }, done);
        return done;
    }

    /**
     * Applies the peer's offer, creates the answer and sends it. Called for offers arriving through
     * the signaller; completes with the answer's SDP.
     */
    CompletableFuture<String> acceptOffer(String sdp) {
        CompletableFuture<String> done = new CompletableFuture<>();
        events.execute(() -> {
            session.requireOpen("accept an offer");
            Sdp.require(session.name(), "remote offer", sdp);
            if (pendingAnswer != null) {
                throw new IllegalStateException("session '" + session.name() + "' received an offer while its own offer is outstanding "
                        + "(glare); let only one side call negotiate() at a time");
            }
            awaitSenderCaps();
            bin.matchTransportFeedback(sdp);
            bin.setRemote(GstApi.SDP_OFFER, sdp);
            remoteDescriptionSet(sdp);
            String answer = bin.createAnswer();
            requireCommonCodecs(answer, sdp, "our answer to the peer's offer");
            bin.setLocal(GstApi.SDP_ANSWER, answer);
            localSdp = answer;
            signaller.sendAnswer(answer);
            done.complete(answer);
        }, done);
        return done;
    }

    /** Applies the peer's answer to the outstanding offer; fails when there is none. */
    CompletableFuture<Void> acceptAnswer(String sdp) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        events.execute(() -> {
            session.requireOpen("accept an answer");
            Sdp.require(session.name(), "remote answer", sdp);
            CompletableFuture<Void> p = pendingAnswer;
            if (p == null) {
                throw new IllegalStateException("session '" + session.name() + "' received an answer but has no offer outstanding; "
                        + "an answer is only valid after this session's negotiate()");
            }
            pendingAnswer = null;
            try {
                requireCommonCodecs(sdp, null, "the peer's answer");
                bin.setRemote(GstApi.SDP_ANSWER, sdp);
            } catch (RuntimeException e) {
                p.completeExceptionally(e);
                throw e;
            }
            remoteDescriptionSet(sdp);
            done.complete(null);
            p.complete(null);
        }, done);
        return done;
    }

    /** Adds a remote ICE candidate; buffered until the remote description is set. */
    CompletableFuture<Void> addRemoteCandidate(IceCandidate candidate) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        events.execute(() -> {
            session.requireOpen("add a remote candidate");
            Sdp.requireCandidate(session.name(), candidate);
            if (remoteSdp == null) {
                pendingCandidates.add(new PendingCandidate(candidate, done));
                return;
            }
            applyCandidate(candidate);
            done.complete(null);
        }, done);
        return done;
    }

    private void remoteDescriptionSet(String sdp) {
        remoteSdp = sdp;
        List<PendingCandidate> buffered = new ArrayList<>(pendingCandidates);
        pendingCandidates.clear();
        for (PendingCandidate p : buffered) {
            try {
                applyCandidate(p.candidate);
                p.done.complete(null);
            } catch (RuntimeException e) {
                p.done.completeExceptionally(e);
            }
        }
    }

    private void applyCandidate(IceCandidate c) {
        int index = Sdp.sectionIndex(session.name(), c, remoteSdp);
        if (c.address().endsWith(".local")) {
            session.candidateIgnored(); // libnice cannot resolve mDNS names
            log.debug("session '{}': ignored mDNS candidate {}", session.name(), c.candidate());
            return;
        }
        bin.addIceCandidate(index, Sdp.candidateLine(c));
    }

    /** Every sender track must have caps on its webrtcbin pad before an offer or answer is made. */
    private void awaitSenderCaps() {
        long deadline = System.nanoTime() + session.config().negotiationTimeout().toNanos();
        for (EncodedTrackSender s : session.senders()) {
            s.awaitCaps(deadline);
        }
    }

    private void requireCommonCodecs(String sdp, String peerOffer, String what) {
        List<Sdp.Section> offer = peerOffer == null ? null : Sdp.sections(peerOffer);
        List<Sdp.Section> sections = Sdp.sections(sdp);
        for (EncodedTrackSender s : session.senders()) {
            s.requireAccepted(sections, offer, what);
        }
    }

    void localCandidate(int mline, String candidate) {
        if (session.isClosed() || candidate == null || candidate.isBlank()) {
            return;
        }
        List<Sdp.Section> sections = Sdp.sections(localSdp);
        String mid = mline < sections.size() ? sections.get(mline).mid() : null;
        signaller.sendCandidate(new IceCandidate(mid, mline, candidate));
    }

    /** Event thread, session closing: what is pending fails with {@code gone}. */
    void closed(IllegalStateException gone) {
        if (pendingAnswer != null) {
            pendingAnswer.completeExceptionally(gone);
            pendingAnswer = null;
        }
        for (PendingCandidate p : pendingCandidates) {
            p.done.completeExceptionally(gone);
        }
        pendingCandidates.clear();
    }
}
