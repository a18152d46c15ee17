package dev.packetstream.samples.common;

import dev.packetstream.core.BranchGroup;
import dev.packetstream.signaling.PeerInfo;
import dev.packetstream.signaling.bridge.PeerDirectory;
import dev.packetstream.signaling.bridge.PeerSignaller;
import dev.packetstream.signaling.bridge.RoomListener;
import dev.packetstream.webrtc.PeerSessionConfig;
import dev.packetstream.webrtc.RtcRuntime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The viewers of a room and the fan-out to them: every viewer page that joins gets a
 * {@link ViewerLink} (its own session and sender), added as a branch of the core's
 * {@link BranchGroup} {@link #fanOut()}, which the sample attaches to its stream. Viewers join and
 * leave at any time; a viewer whose link throws is removed, closed and counted, never passed to the
 * others or to the source. {@code stream.describe()} lists each viewer with its figures.
 *
 * <h2>Threads</h2>
 * The fan-out runs on the source's thread (capture, decoder). Opening and closing links (native
 * work that may block) runs on the room's own control thread {@code <name>-control}, never on the
 * signaling client's thread nor on the source's.
 *
 * <h2>Ownership</h2>
 * Packets are lent to each link for the call; each viewer's sender copies what it keeps.
 */
public final class ViewerRoom implements RoomListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ViewerRoom.class);

    private final String viewerRole;
    private final RtcRuntime sharedRuntime;
    private final PeerSessionConfig config;
    private final ViewerLink.Media media;
    private final ExecutorService control;
    private final BranchGroup fanOut;
    private final List<ViewerLink> links = new CopyOnWriteArrayList<>();
    private final Map<String, Boolean> known = new ConcurrentHashMap<>();
    private final AtomicLong viewerErrors = new AtomicLong();
    private final AtomicLong viewersServed = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param sharedRuntime the runtime all viewers share, or null to give each viewer its own (needed
     *                      when viewers get audio: one audio sender per runtime)
     */
    public ViewerRoom(String name, String viewerRole, RtcRuntime sharedRuntime, PeerSessionConfig config, ViewerLink.Media media) {
        this.viewerRole = viewerRole;
        this.sharedRuntime = sharedRuntime;
        this.config = config;
        this.media = media;
        this.control = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name + "-control");
            t.setDaemon(true);
            return t;
        });
        this.fanOut = new BranchGroup(name).addFailureListener(e -> {
            viewerErrors.incrementAndGet();
            log.warn("{} failed and was removed: {}", e.stage(), e.getCause().toString());
        });
    }

    /** The fan-out to attach to the stream whose packets the viewers get (one branch per viewer). */
    public BranchGroup fanOut() {
        return fanOut;
    }

    @Override
    public void peerPresent(PeerDirectory directory, PeerInfo peer) {
        if (!viewerRole.equals(peer.role()) || known.putIfAbsent(peer.id(), Boolean.TRUE) != null) {
            return;
        }
        PeerSignaller signaller = directory.signallerFor(peer.id());
        control.execute(() -> {
            if (closed || !known.containsKey(peer.id())) {
                return;
            }
            try {
                ViewerLink link = ViewerLink.open(peer.id(), sharedRuntime, signaller, config, media);
                links.add(link);
                try {
                    fanOut.branch(peer.id(), link::write).onRemoved(() -> closeLater(link)).add();
                } catch (RuntimeException e) {
                    links.remove(link);
                    closeQuietly(link); // the fan-out closed with its stream
                    throw e;
                }
                viewersServed.incrementAndGet();
                log.info("viewer {} joined ({} watching)", peer.id(), links.size());
            } catch (RuntimeException e) {
                viewerErrors.incrementAndGet();
                log.warn("could not open a session for viewer {}: {}", peer.id(), e.toString());
            }
        });
    }

    @Override
    public void peerLeft(PeerDirectory directory, PeerInfo peer) {
        if (known.remove(peer.id()) == null) {
            return;
        }
        control.execute(() -> {
            if (fanOut.remove(peer.id())) {
                log.info("viewer {} left ({} watching)", peer.id(), links.size());
            }
        });
    }

    /** A branch left (removed, failed, or the fan-out closed): its link closes on the control thread. */
    private void closeLater(ViewerLink link) {
        links.remove(link);
        try {
            control.execute(() -> closeQuietly(link));
        } catch (RejectedExecutionException e) {
            closeQuietly(link); // the room is closing: close it here
        }
    }

    /** The viewers connected or connecting now. */
    public List<ViewerLink> links() {
        return List.copyOf(links);
    }

    public int viewerCount() {
        return links.size();
    }

    /** Viewers served since start. */
    public long viewersServed() {
        return viewersServed.get();
    }

    /** Viewers whose link failed (removed), and sessions that could not be opened. */
    public long viewerErrors() {
        return viewerErrors.get();
    }

    /** Refreshes every link's statistics (for the status line); returns at once. */
    public void refreshStats() {
        for (ViewerLink l : links) {
            l.refreshStats();
        }
    }

    /** Total outbound video bitrate of the last snapshots, bits per second. */
    public long videoBitrateBps() {
        long sum = 0;
        for (ViewerLink l : links) {
            sum += l.videoBitrateBps();
        }
        return sum;
    }

    /** Closes every link (on the control thread, waiting for it) and the control thread. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        control.execute(fanOut::close); // each branch's onRemoved queues its link's close behind this
        control.shutdown();
        try {
            if (!control.awaitTermination(20, TimeUnit.SECONDS)) {
                log.warn("closing the viewers took more than 20 s; continuing the shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(ViewerLink l) {
        try {
            l.close();
        } catch (RuntimeException e) {
            log.warn("closing {} failed", l, e);
        }
    }
}
