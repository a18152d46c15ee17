package dev.packetstream.samples.common;

import dev.packetstream.core.media.AudioCodec;
import dev.packetstream.core.media.VideoCodec;
import dev.packetstream.signaling.PeerInfo;
import dev.packetstream.signaling.bridge.PeerDirectory;
import dev.packetstream.signaling.bridge.RoomListener;
import dev.packetstream.webrtc.encoded.EncodedFanout;
import dev.packetstream.webrtc.encoded.EncodedPeerSession;
import dev.packetstream.webrtc.encoded.EncodedRuntime;
import dev.packetstream.webrtc.encoded.EncodedSessionConfig;
import dev.packetstream.webrtc.encoded.EncodedTrackSender;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The viewers of a room on the encoded path: every viewer page that joins gets a GStreamer
 * {@link EncodedPeerSession} with one {@link EncodedTrackSender} (video in the source's codec, and
 * Opus), added to the SDK's {@link EncodedFanout}. Nothing is decoded or encoded per viewer: the
 * fan-out copies each packet once and each viewer has its own bounded queue, which drops to the
 * next keyframe when the viewer cannot keep up (and asks for one), so a slow viewer never slows the
 * source or the others.
 *
 * <h2>The source's codec</h2>
 * A viewer's sender is built for the codec the source sends ({@link #sourceCodec}); viewers that
 * join before it is known (no publisher yet) wait. When it changes (a publisher that sends another
 * codec replaced the previous one), every viewer gets a new session: the page is told bye and
 * receives a new offer.
 *
 * <h2>Threads</h2>
 * The fan-out runs on the source's threads. Opening and closing sessions (native work that may
 * block) runs on the control thread {@code <name>-control}, never on the signaling client's thread
 * nor on the source's. Listener methods may be called from any thread.
 */
public final class EncodedViewers implements RoomListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EncodedViewers.class);

    private final EncodedRuntime runtime;
    private final EncodedSessionConfig config;
    private final String viewerRole;
    private final int queueLimit;
    private final EncodedFanout fanout;
    private final ExecutorService control;
    /** Viewer peers present in the room (waiting or served), with the directory that routes them. */
    private final Map<String, PeerDirectory> present = new ConcurrentHashMap<>();
    private final Map<String, Viewer> viewers = new ConcurrentHashMap<>();
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile VideoCodec codec;
    private volatile boolean closed;

    /**
     * One viewer page: its session and sender, and the wall-clock time (ms) its connection came up
     * (0 until then).
     */
    public record Viewer(String peerId, EncodedPeerSession session, EncodedTrackSender sender, AtomicLong connectedAtMillis) {
    }

    /**
     * @param queueLimit packets each viewer's track may hold before it drops (video: to the next keyframe)
     */
    public EncodedViewers(String name, String viewerRole, EncodedRuntime runtime, EncodedSessionConfig config, int queueLimit) {
        this.runtime = runtime;
        this.config = config;
        this.viewerRole = viewerRole;
        this.queueLimit = queueLimit;
        this.fanout = new EncodedFanout(name, runtime);
        this.control = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name + "-control");
            t.setDaemon(true);
            return t;
        });
    }

    /** The fan-out: the source sends its encoded packets here ({@code send}, or attached to its stream). */
    public EncodedFanout fanout() {
        return fanout;
    }

    /** The codec the source sends; opens the waiting viewers, or reconnects every viewer when it changed. */
    public void sourceCodec(VideoCodec c) {
        VideoCodec old = codec;
        if (c == old || closed) {
            return;
        }
        codec = c;
        execute(() -> {
            if (old != null) {
                log.info("the source now sends {} instead of {}: every viewer gets a new session", c, old);
                for (Viewer v : List.copyOf(viewers.values())) {
                    closeViewer(v);
                }
            }
            for (String id : List.copyOf(present.keySet())) {
                open(id);
            }
        });
    }

    public VideoCodec sourceCodec() {
        return codec;
    }

    @Override
    public void peerPresent(PeerDirectory directory, PeerInfo peer) {
        if (!viewerRole.equals(peer.role()) || present.putIfAbsent(peer.id(), directory) != null) {
            return;
        }
        execute(() -> open(peer.id()));
    }

    @Override
    public void peerLeft(PeerDirectory directory, PeerInfo peer) {
        if (present.remove(peer.id()) == null) {
            return;
        }
        execute(() -> {
            Viewer v = viewers.get(peer.id());
            if (v != null) {
                closeViewer(v);
                log.info("viewer {} left ({} watching)", peer.id(), viewers.size());
            }
        });
    }

    /** Control thread: a session and sender for a present viewer, once the source's codec is known. */
    private void open(String peerId) {
        VideoCodec c = codec;
        PeerDirectory directory = present.get(peerId);
        if (closed || c == null || directory == null || viewers.containsKey(peerId)) {
            return;
        }
        EncodedPeerSession session = null;
        try {
            session = runtime.newSession("viewer-" + ViewerLink.shortId(peerId), config, directory.signallerFor(peerId));
            EncodedTrackSender sender = session.newSender("to-viewer").video(c).audio(AudioCodec.OPUS).queueLimit(queueLimit).build();
            Viewer v = new Viewer(peerId, session, sender, new AtomicLong());
            viewers.put(peerId, v);
            session.connected().thenRun(() -> v.connectedAtMillis().set(System.currentTimeMillis()));
            session.closedFuture().whenComplete((ok, e) -> {
                fanout.removeViewer(sender);
                viewers.remove(peerId, v);
            });
            fanout.addViewer(sender); // packets flow into its queue before the offer: the offer needs them
            served.incrementAndGet();
            EncodedPeerSession s = session;
            session.negotiate().whenComplete((ok, e) -> {
                if (e != null && !s.isClosed()) {
                    errors.incrementAndGet();
                    log.warn("viewer {}: negotiation failed: {}", peerId, e.toString());
                    execute(() -> closeViewer(v));
                }
            });
            log.info("viewer {} joined ({} watching)", peerId, viewers.size());
        } catch (RuntimeException e) {
            errors.incrementAndGet();
            log.warn("could not open a session for viewer {}: {}", peerId, e.toString());
            if (session != null) {
                session.close();
            }
        }
    }

    private void closeViewer(Viewer v) {
        fanout.removeViewer(v.sender());
        viewers.remove(v.peerId(), v);
        try {
            v.session().close();
        } catch (RuntimeException e) {
            log.warn("closing the session of viewer {} failed", v.peerId(), e);
        }
    }

    private void execute(Runnable task) {
        try {
            control.execute(task);
        } catch (RejectedExecutionException e) {
            // closing: the viewers are being closed anyway
        }
    }

    /** The viewers with a session now. */
    public List<Viewer> viewers() {
        return List.copyOf(viewers.values());
    }

    public int viewerCount() {
        return viewers.size();
    }

    /** Viewer sessions opened since start. */
    public long viewersServed() {
        return served.get();
    }

    /** Sessions that could not be opened or negotiated. */
    public long viewerErrors() {
        return errors.get();
    }

    /** Closes every viewer's session (on the control thread, waiting for it) and the fan-out. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        fanout.close();
        execute(() -> {
            for (Viewer v : List.copyOf(viewers.values())) {
                closeViewer(v);
            }
        });
        control.shutdown();
        try {
            if (!control.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("closing the viewers took more than 30 s; continuing the shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
