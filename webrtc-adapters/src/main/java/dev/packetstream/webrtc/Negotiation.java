package dev.packetstream.webrtc;

import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.packetstream.core.peer.IceCandidate;
import dev.packetstream.core.peer.OfferAnswer;
import dev.packetstream.core.peer.Signaller;
import java.util.concurrent.CompletableFuture;

/**
 * libwebrtc's side of a session's negotiation: the {@link OfferAnswer.Endpoint} that makes and
 * applies descriptions through {@link NativeCalls} (with the configured codec preferences) and
 * adds remote candidates, and the filter of local candidates before they are signalled. The
 * offer/answer rules (one offer outstanding, glare, candidates buffered until the remote
 * description is set, because libwebrtc drops early ones silently) are the shared
 * {@link OfferAnswer}'s.
 *
 * <h2>Threads</h2>
 * Event thread only: {@link OfferAnswer} calls in there, and {@link NativeCalls} hands libwebrtc's
 * results back there.
 */
final class Negotiation implements OfferAnswer.Endpoint {
    private final PeerSession session;
    private final RTCPeerConnection pc;
    private final NativeCalls calls;
    private final Signaller signaller;

    Negotiation(PeerSession session, RTCPeerConnection pc, NativeCalls calls, Signaller signaller) {
        this.session = session;
        this.pc = pc;
        this.calls = calls;
        this.signaller = signaller;
    }

    @Override
    public CompletableFuture<String> createAndSetOffer(boolean iceRestart) {
        session.applyCodecPreferences();
        RTCOfferOptions o = new RTCOfferOptions();
        o.iceRestart = iceRestart;
        return calls.createOffer(pc, o).thenCompose(d -> calls.setLocal(pc, d).thenApply(v -> d.sdp));
    }

    @Override
    public CompletableFuture<Void> setRemoteOffer(String sdp) {
        return calls.setRemote(pc, new RTCSessionDescription(RTCSdpType.OFFER, sdp));
    }

    @Override
    public CompletableFuture<String> createAndSetAnswer(String remoteOffer) {
        session.applyCodecPreferences();
        return calls.createAnswer(pc).thenCompose(a -> calls.setLocal(pc, a).thenApply(v -> a.sdp));
    }

    @Override
    public CompletableFuture<Void> setRemoteAnswer(String sdp) {
        return calls.setRemote(pc, new RTCSessionDescription(RTCSdpType.ANSWER, sdp));
    }

    @Override
    public void addRemoteCandidate(IceCandidate c, String remoteSdp) {
        RTCSessionDescription remote = pc.getRemoteDescription(); // as libwebrtc parsed it
        String sdp = remote == null ? remoteSdp : remote.sdp;
        int index = SdpChecks.sectionIndex(session.name(), c, sdp);
        String mid = c.sdpMid() != null ? c.sdpMid() : SdpChecks.mids(sdp).get(index);
        pc.addIceCandidate(new RTCIceCandidate(mid == null ? "" : mid, index, c.candidate()));
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
}
