package dev.packetstream.core.testing;

import dev.packetstream.core.peer.IceCandidate;
import dev.packetstream.core.peer.Signaller;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * For tests (in the core's test-jar): a signaller whose peer never answers. It records what the
 * session sent, and keeps the session's listener so that a test can deliver messages by hand.
 * Thread safe.
 */
public final class RecordingSignaller implements Signaller {
    /** The offers the session sent, in order. */
    public final List<String> offers = new CopyOnWriteArrayList<>();
    /** The answers the session sent, in order. */
    public final List<String> answers = new CopyOnWriteArrayList<>();
    /** The candidates the session sent, in order. */
    public final List<IceCandidate> candidates = new CopyOnWriteArrayList<>();
    /** How many byes the session sent. */
    public final AtomicInteger byes = new AtomicInteger();
    /** The session's listener (null until it binds). */
    public volatile Listener listener;

    @Override
    public void bind(Listener l) {
        listener = l;
    }

    @Override
    public void sendOffer(String sdp) {
        offers.add(sdp);
    }

    @Override
    public void sendAnswer(String sdp) {
        answers.add(sdp);
    }

    @Override
    public void sendCandidate(IceCandidate candidate) {
        candidates.add(candidate);
    }

    @Override
    public void sendBye() {
        byes.incrementAndGet();
    }
}
