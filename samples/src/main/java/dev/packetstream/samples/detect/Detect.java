package dev.packetstream.samples.detect;

import dev.packetstream.core.AsyncPacketQueue;
import dev.packetstream.core.OverflowPolicy;
import dev.packetstream.core.PacketStream;
import dev.packetstream.samples.common.DecodedRelay;
import dev.packetstream.samples.common.DecodedRelaySample;
import dev.packetstream.samples.common.ServerOptions;
import dev.packetstream.samples.common.SourceOptions;
import dev.packetstream.samples.common.WebRtcOptions;
import dev.packetstream.signaling.bridge.RoomConnection;
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
public final class Detect implements DecodedRelaySample {
    private static final Logger log = LoggerFactory.getLogger(Detect.class);

    /** Detect-branch settings. */
    public record Settings(boolean enabled, int sampleEvery, Duration detectorDelay, double minChanged) {
    }

    private final DecodedRelay relay;
    private final PacketStream delivery = new PacketStream("delivery");
    private final PacketStream detect = new PacketStream("detect");
    private final AsyncPacketQueue detectQueue;
    private final MotionDetector detector;
    private final AtomicLong eventsSent = new AtomicLong();
    private volatile boolean closed;

    private Detect(ServerOptions options, SourceOptions source, boolean browserPublisher, WebRtcOptions rtc, Settings settings) {
        this.relay = new DecodedRelay("detect", "detector", options, source, browserPublisher, rtc);
        delivery.attach(relay.viewers().fanOut(), 100);
        relay.ingress().stream().addSink(delivery);

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
            relay.ingress().stream().addSink(detect);
        }
        try {
            relay.join();
            detect.start();
            delivery.start();
            relay.ingress().start();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public static Detect start(ServerOptions options, SourceOptions source, boolean browserPublisher, WebRtcOptions rtc,
                               Settings settings) {
        return new Detect(options, source, browserPublisher, rtc, settings);
    }

    /** Detector thread: sends the event to every viewer (the signaling client queues it; no blocking). */
    private void sendEvent(MotionEvent e) {
        RoomConnection r = relay.room().connection();
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

    @Override
    public DecodedRelay relay() {
        return relay;
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
        return "detect · " + relay.status() + " · analysed " + detector.analysed() + ", stale dropped "
                + detectQueue.droppedCount() + ", events " + eventsSent.get();
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
        relay.close();
    }
}
