package dev.packetstream.webrtc.encoded;

import dev.packetstream.core.Packet;
import dev.packetstream.core.PacketProcessor;
import dev.packetstream.core.Retention;
import dev.packetstream.core.media.EncodedAudioPacket;
import dev.packetstream.core.media.EncodedVideoPacket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live fan-out of one encoded source to any number of viewers: each packet is copied once into
 * a native buffer and handed to every viewer's {@link EncodedTrackSender}, which pushes a shallow
 * copy (its own timestamps, the same memory) into its own queue. Viewers are added and removed
 * while the source runs.
 *
 * <pre>{@code
 * EncodedFanout fanout = new EncodedFanout("relay", runtime);
 * fanout.onKeyframeRequest(reason -> encoder.requestKeyframe());   // or forward to the publisher
 * source.attach(fanout, 50);
 * ...
 * EncodedTrackSender viewer = session.newSender("to-" + id).video(VideoCodec.VP8).audio(AudioCodec.OPUS).build();
 * fanout.addViewer(viewer);                                         // before or after the session negotiates
 * session.negotiate();
 * }</pre>
 *
 * <h2>Slow viewers</h2>
 * Each viewer has its own bounded queue ({@link EncodedTrackSender.Builder#queueLimit}); pushing
 * into it never blocks, so a viewer that does not keep up never slows the source or the other
 * viewers. When its video queue is full it drops video up to the next keyframe and asks for one;
 * a new viewer starts on a keyframe and asks for one at once. Drops are counted on each viewer's
 * sender.
 *
 * <h2>Keyframe requests</h2>
 * Requests from every viewer (a PLI/FIR from its peer, a new viewer, an overflow) reach the
 * {@link #onKeyframeRequest} listeners, at most once per {@link #keyframeRequestInterval} (an
 * encoder makes one keyframe for all). Listeners run on the event thread of the session whose
 * viewer asked.
 *
 * <h2>Ownership and threads</h2>
 * {@link Retention#BORROWED}: the packet's bytes are copied once per packet, not per viewer.
 * {@code process} may run on several threads (audio and video writers); adding and removing
 * viewers is thread safe. A viewer whose session closed is removed by itself.
 */
public final class EncodedFanout extends PacketProcessor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EncodedFanout.class);

    private final EncodedRuntime runtime;
    private final List<EncodedTrackSender> viewers = new CopyOnWriteArrayList<>();
    private final List<Consumer<EncodedTrackSender.KeyframeReason>> listeners = new CopyOnWriteArrayList<>();
    private volatile long intervalNs = 300_000_000L;
    private volatile long lastRequestNs = System.nanoTime() - 1_000_000_000_000L;
    private volatile boolean closed;
    private final AtomicLong packetsIn = new AtomicLong();
    private final AtomicLong keyframeRequests = new AtomicLong();

    public EncodedFanout(String name, EncodedRuntime runtime) {
        super(name, Retention.BORROWED);
        this.runtime = runtime;
    }

    /** Adds a listener for keyframe requests (see the class comment for the thread). */
    public EncodedFanout onKeyframeRequest(Consumer<EncodedTrackSender.KeyframeReason> listener) {
        listeners.add(listener);
        return this;
    }

    /** The shortest time between two keyframe requests passed on (default 300 ms). */
    public EncodedFanout keyframeRequestInterval(Duration d) {
        intervalNs = d.toNanos();
        return this;
    }

    /**
     * Adds a viewer: from the next packet on it gets the source, starting at a keyframe, and a
     * keyframe is requested now.
     */
    public void addViewer(EncodedTrackSender viewer) {
        if (closed) {
            throw new IllegalStateException("fan-out '" + name() + "' is closed: cannot add viewer '" + viewer.name() + "'");
        }
        if (viewers.contains(viewer)) {
            return;
        }
        viewer.onKeyframeRequest(reason -> {
            if (viewers.contains(viewer)) {
                request(reason);
            }
        });
        viewers.add(viewer);
        viewer.session().events().execute(() -> request(EncodedTrackSender.KeyframeReason.WAITING_FOR_KEYFRAME));
    }

    /** Removes a viewer; it gets nothing more from this fan-out. Returns whether it was a viewer. */
    public boolean removeViewer(EncodedTrackSender viewer) {
        return viewers.remove(viewer);
    }

    /** The current viewers. */
    public List<EncodedTrackSender> viewers() {
        return List.copyOf(viewers);
    }

    public long packetsIn() {
        return packetsIn.get();
    }

    /** Keyframe requests passed on to the listeners. */
    public long keyframeRequests() {
        return keyframeRequests.get();
    }

    @Override
    public boolean accepts(Packet packet) {
        return packet instanceof EncodedVideoPacket || packet instanceof EncodedAudioPacket;
    }

    @Override
    public void process(Packet packet) {
        send(packet);
        emit(packet);
    }

    /** Sends one packet to every viewer (copied once). */
    public void send(Packet packet) {
        if (closed) {
            discard(packet, dev.packetstream.core.DiscardReason.CLOSED);
            return;
        }
        packetsIn.incrementAndGet();
        if (viewers.isEmpty()) {
            return;
        }
        EncodedBuffer b = EncodedBuffer.of(runtime.libs(), packet);
        if (b == null) {
            return;
        }
        try {
            for (EncodedTrackSender v : viewers) {
                if (v.session().isClosed()) {
                    viewers.remove(v);
                    log.debug("fan-out '{}': viewer '{}' left (its session closed)", name(), v.name());
                    continue;
                }
                v.sendShared(b, packet);
            }
        } finally {
            b.release();
        }
    }

    private void request(EncodedTrackSender.KeyframeReason reason) {
        long now = System.nanoTime();
        synchronized (this) {
            if (now - lastRequestNs < intervalNs) {
                return;
            }
            lastRequestNs = now;
        }
        keyframeRequests.incrementAndGet();
        for (Consumer<EncodedTrackSender.KeyframeReason> l : listeners) {
            try {
                l.accept(reason);
            } catch (RuntimeException e) {
                log.warn("fan-out '{}': a keyframe listener threw", name(), e);
            }
        }
    }

    /** Stops fanning out and forgets the viewers (their sessions stay open). Idempotent. */
    @Override
    public void close() {
        closed = true;
        viewers.clear();
    }

    @Override
    public String toString() {
        return "EncodedFanout('" + name() + "', " + viewers.size() + " viewers)";
    }
}
