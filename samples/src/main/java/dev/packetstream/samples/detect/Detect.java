package dev.packetstream.samples.detect;

import dev.packetstream.core.AsyncPacketQueue;
import dev.packetstream.core.OverflowPolicy;
import dev.packetstream.core.PacketStream;
import dev.packetstream.samples.common.EmbeddedServer;
import dev.packetstream.samples.common.Formats;
import dev.packetstream.samples.common.Ingress;
import dev.packetstream.samples.common.RunningSample;
import dev.packetstream.samples.common.ServerOptions;
import dev.packetstream.samples.common.SourceOptions;
import dev.packetstream.samples.common.ViewerRoom;
import dev.packetstream.samples.common.WebRtcOptions;
import dev.packetstream.signaling.PeerInfo;
import dev.packetstream.signaling.SignalingServer;
import dev.packetstream.signaling.bridge.PeerDirectory;
import dev.packetstream.signaling.bridge.RoomConnection;
import dev.packetstream.signaling.bridge.RoomListener;
import dev.packetstream.webrtc.PeerSessionConfig;
import dev.packetstream.webrtc.RtcRuntime;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * detect: a branch topology. One decoded ingress feeds two branches that share the frames
 * but not a latency budget:
 *
 * <pre>
 * ingress ─┬─► delivery ──► ViewerRoom ──► WebRtcTrackSender per viewer ──► browser
 *          └─► detect ──► FrameSampler(every Nth) ──► AsyncPacketQueue(1, drop oldest) ──► MotionDetector
 *                                                        (CLONED boundary: copies            │
 *                                                         or retains the frame)              ▼
 *                                                                          application event to the viewers,
 *                                                                          drawn over the video
 * </pre>
 *
 * The detect branch crosses its queue boundary before any slow work, so the ingress thread only
 * samples and copies one frame in N; when the detector is slower than the sampled rate, the queue
 * drops the stale frame and keeps the newest (counted), and delivery never waits.
 *
 * <h2>Shutdown</h2>
 * In this order: the detect branch stops, then delivery, then the shared ingress.
 */
public final class Detect implements RunningSample {
    private static final Logger log = LoggerFactory.getLogger(Detect.class);

    /** Detect-branch settings. */
    public record Settings(boolean enabled, int sampleEvery, Duration detectorDelay, double minChanged) {
    }

    private final RtcRuntime runtime;
    private final Ingress ingress;
    private final PacketStream delivery = new PacketStream("delivery");
    private final PacketStream detect = new PacketStream("detect");
    private final ViewerRoom viewers;
    private final AsyncPacketQueue detectQueue;
    private final MotionDetector detector;
    private final AtomicLong eventsSent = new AtomicLong();
    private volatile SignalingServer server;
    private volatile RoomConnection room;
    private volatile URI viewerPage;
    private volatile URI publisherPage;
    private volatile boolean closed;

    private Detect(ServerOptions options, SourceOptions source, boolean browserPublisher, WebRtcOptions rtc, Settings settings) {
        this.runtime = new RtcRuntime("detect");
        PeerSessionConfig config = rtc.sessionConfig(options.loopback);
        try {
            this.ingress = browserPublisher ? Ingress.browser(runtime, PeerSessionConfig.builder().loopbackOnly(options.loopback).build())
                    : Ingress.capture(source);
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
        this.viewers = new ViewerRoom("detect-viewers", "viewer", runtime, config, rtc.media(false, 0));
        delivery.attach(viewers.fanOut(), 100);
        ingress.stream().addSink(delivery);

        this.detectQueue = new AsyncPacketQueue("detect-queue", 1, OverflowPolicy.DROP_OLDEST);
        this.detector = new MotionDetector("motion", settings.minChanged(), settings.detectorDelay());
        detect.attach(new FrameSampler("every-" + settings.sampleEvery(), settings.sampleEvery()), 0);
        detect.attach(detectQueue, 5);
        detect.attach(detector, 10);
        detect.addSink("events", p -> {
            if (p instanceof MotionEvent e) {
                sendEvent(e);
            }
        });
        if (settings.enabled()) {
            ingress.stream().addSink(detect);
        }
        try {
            this.server = EmbeddedServer.start(options);
            this.room = EmbeddedServer.joinRoom(server, options.room, "detector", new Peers());
            detect.start();
            delivery.start();
            ingress.start();
            this.viewerPage = EmbeddedServer.page(server, "viewer.html?room=" + options.room);
            this.publisherPage = EmbeddedServer.page(server, "publisher.html?room=" + options.room + "&to=detector");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public static Detect start(ServerOptions options, SourceOptions source, boolean browserPublisher, WebRtcOptions rtc,
                               Settings settings) {
        return new Detect(options, source, browserPublisher, rtc, settings);
    }

    private final class Peers implements RoomListener {
        @Override
        public void peerPresent(PeerDirectory peers, PeerInfo peer) {
            viewers.peerPresent(peers, peer);
        }

        @Override
        public void unknownOffer(PeerDirectory peers, PeerInfo peer, String sdp) {
            if ("publisher".equals(peer.role())) {
                ingress.publisherOffer(peer, peers.signallerFor(peer.id()));
            }
        }

        @Override
        public void peerLeft(PeerDirectory peers, PeerInfo peer) {
            viewers.peerLeft(peers, peer);
            ingress.peerLeft(peer);
        }
    }

    /** Detector thread: sends the event to every viewer (the signaling client queues it; no blocking). */
    private void sendEvent(MotionEvent e) {
        RoomConnection r = room;
        if (r == null) {
            return;
        }
        r.client().broadcastEvent(e.toEvent()).whenComplete((v, err) -> {
            if (err != null) {
                log.debug("motion event not sent: {}", err.toString());
            }
        });
        eventsSent.incrementAndGet();
    }

    public URI viewerPage() {
        return viewerPage;
    }

    public URI publisherPage() {
        return publisherPage;
    }

    public boolean browserPublisher() {
        return ingress.fromBrowser();
    }

    public ViewerRoom viewers() {
        return viewers;
    }

    public MotionDetector detector() {
        return detector;
    }

    /** Frames the detect queue dropped as stale. */
    public long staleFramesDropped() {
        return detectQueue.droppedCount();
    }

    public long eventsSent() {
        return eventsSent.get();
    }

    @Override
    public String statusLine() {
        viewers.refreshStats();
        return "detect · " + ingress.describe() + " · " + Formats.fps(ingress.framesPerSecond()) + " in · "
                + viewers.viewerCount() + " viewer(s) · " + Formats.bitrate(viewers.videoBitrateBps()) + " · analysed "
                + detector.analysed() + ", stale dropped " + detectQueue.droppedCount() + ", events " + eventsSent.get();
    }

    /** Stops the detect branch, then delivery, then the ingress; then the rest. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        detect.close();
        delivery.close();
        if (ingress != null) {
            ingress.close();
        }
        if (room != null) {
            room.close();
        }
        viewers.close();
        runtime.close();
        if (server != null) {
            server.close();
        }
    }
}
