package dev.packetstream.core.peer;

/**
 * Two signallers connected back to back in one JVM: what one sends, the other's listener
 * receives, synchronously on the sending thread (the receiving session hops to its own event
 * thread). For tests, loopback benchmarks, and sessions between two runtimes of one process.
 *
 * <pre>{@code
 * InMemorySignaller.Pair link = InMemorySignaller.pair();
 * PeerSession a = rtcA.newSession("a", config, link.a());                 // libwebrtc, or
 * EncodedPeerSession b = runtime.newSession("b", config, link.b());        // GStreamer: either kind
 * }</pre>
 */
public final class InMemorySignaller implements Signaller {
    private volatile Listener listener;
    private volatile InMemorySignaller peer;

    /** Two connected signallers. */
    public record Pair(InMemorySignaller a, InMemorySignaller b) {
    }

    private InMemorySignaller() {
    }

    public static Pair pair() {
        InMemorySignaller a = new InMemorySignaller();
        InMemorySignaller b = new InMemorySignaller();
        a.peer = b;
        b.peer = a;
        return new Pair(a, b);
    }

    @Override
    public void bind(Listener l) {
        this.listener = l;
    }

    private Listener remote() {
        Listener l = peer.listener;
        if (l == null) {
            throw new IllegalStateException("the peer of this in-memory signaller has no session bound yet; create both sessions first");
        }
        return l;
    }

    @Override
    public void sendOffer(String sdp) {
        remote().onOffer(sdp);
    }

    @Override
    public void sendAnswer(String sdp) {
        remote().onAnswer(sdp);
    }

    @Override
    public void sendCandidate(IceCandidate candidate) {
        remote().onCandidate(candidate);
    }

    @Override
    public void sendBye() {
        Listener l = peer.listener;
        if (l != null) {
            l.onBye();
        }
    }
}
