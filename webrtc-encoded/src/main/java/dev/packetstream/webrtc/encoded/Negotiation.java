package dev.packetstream.webrtc.encoded;

import dev.packetstream.core.peer.IceCandidate;
import dev.packetstream.core.peer.OfferAnswer;
import dev.packetstream.core.peer.Signaller;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * webrtcbin's side of a session's negotiation: the {@link OfferAnswer.Endpoint} that makes and
 * applies descriptions through {@link WebRtcBin} (waiting for every sender track's caps first, and
 * refusing a description without a codec a sender can send), adds remote candidates (mDNS ones
 * ignored), and passes local candidates to the {@link Signaller} with their mid. The offer/answer
 * rules (one offer outstanding with an answer timeout, glare, candidates buffered until the
 * remote description is set) are the shared {@link OfferAnswer}'s.
 *
 * <h2>Threads</h2>
 * Every step runs on the session's event thread, blocking there for webrtcbin's replies; each
 * returns a completed future.
 */
final class Negotiation implements OfferAnswer.Endpoint {
    private static final Logger log = LoggerFactory.getLogger(Negotiation.class);

    private final EncodedPeerSession session;
    private final Signaller signaller;
    private final WebRtcBin bin;
    private String localSdp = ""; // event thread: the last local description set

    Negotiation(EncodedPeerSession session, Signaller signaller, WebRtcBin bin) {
        this.session = session;
        this.signaller = signaller;
        this.bin = bin;
    }

    @Override
    public CompletableFuture<String> createAndSetOffer(boolean iceRestart) {
        awaitSenderCaps();
        String offer = withAudioPacketTime(bin.createOffer());
        bin.setLocal(GstApi.SDP_OFFER, offer);
        localSdp = offer;
        log.debug("session '{}' offers:\n{}", session.name(), offer);
        return CompletableFuture.completedFuture(offer);
    }

    @Override
    public CompletableFuture<Void> setRemoteOffer(String sdp) {
        awaitSenderCaps();
        bin.matchTransportFeedback(sdp);
        bin.setRemote(GstApi.SDP_OFFER, sdp);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<String> createAndSetAnswer(String remoteOffer) {
        String answer = withAudioPacketTime(bin.createAnswer());
        requireCommonCodecs(answer, remoteOffer, "our answer to the peer's offer");
        bin.setLocal(GstApi.SDP_ANSWER, answer);
        localSdp = answer;
        return CompletableFuture.completedFuture(answer);
    }

    @Override
    public CompletableFuture<Void> setRemoteAnswer(String sdp) {
        requireCommonCodecs(sdp, null, "the peer's answer");
        bin.setRemote(GstApi.SDP_ANSWER, sdp);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void addRemoteCandidate(IceCandidate c, String remoteSdp) {
        int index = Sdp.sectionIndex(session.name(), c, remoteSdp);
        if (c.address().endsWith(".local")) {
            session.candidateIgnored(); // libnice cannot resolve mDNS names
            log.debug("session '{}': ignored mDNS candidate {}", session.name(), c.candidate());
            return;
        }
        bin.addIceCandidate(index, Sdp.candidateLine(c));
    }

    /** {@code sdp} asking for the configured audio packet time, if any ({@link EncodedSessionConfig#audioPacketTime()}). */
    private String withAudioPacketTime(String sdp) {
        java.time.Duration ptime = session.config().audioPacketTime();
        return ptime == null ? sdp : Sdp.withAudioPacketTime(sdp, ptime.toMillis());
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

    /** Event thread: webrtcbin gathered a local candidate for m-line {@code mline}; signalled with its mid. */
    void localCandidate(int mline, String candidate) {
        if (session.isClosed() || candidate == null || candidate.isBlank()) {
            return;
        }
        List<Sdp.Section> sections = Sdp.sections(localSdp);
        String mid = mline < sections.size() ? sections.get(mline).mid() : null;
        signaller.sendCandidate(new IceCandidate(mid, mline, candidate));
    }
}
