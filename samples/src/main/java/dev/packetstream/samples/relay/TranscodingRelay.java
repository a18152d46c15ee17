package dev.packetstream.samples.relay;

import dev.packetstream.samples.common.DecodedRelay;
import dev.packetstream.samples.common.Ingress;
import dev.packetstream.samples.common.DecodedRelaySample;
import dev.packetstream.samples.common.ServerOptions;
import dev.packetstream.samples.common.SourceOptions;
import dev.packetstream.samples.common.WebRtcOptions;
import dev.packetstream.webrtc.RtcRuntime;

/**
 * relay --transcode: one publisher (a browser page, or the Java test pattern) and many viewers, on
 * libwebrtc. The source's decoded frames fan out to one sender per viewer, each with its own
 * encoder; viewers join and leave at any time without disturbing the others. The default relay is
 * the encoded one ({@link dev.packetstream.samples.common.EncodedBroadcast}); this path remains for
 * what only a per-viewer encoder gives: each viewer's bitrate follows its own bandwidth estimate
 * (libwebrtc's congestion control), and the viewers' codec ({@code --codec}) need not be the
 * publisher's.
 *
 * <pre>
 * browser publisher ──► WebRtcTrackReceiver ──► ingress ──► ViewerRoom ──┬► viewer 1: WebRtcTrackSender
 *   (or MediaCapture test pattern)          (decoded I420)  (fan-out)     ├► viewer 2: WebRtcTrackSender
 *                                                                          └► ...
 * </pre>
 *
 * All sessions share one {@link RtcRuntime}; viewers get video only (the runtime's one audio input
 * cannot carry a different stream per viewer). Each viewer's session encodes its own copy (libwebrtc
 * has no way to share an encoder between peer connections), so the cost grows with the viewers.
 *
 * <h2>Threads</h2>
 * The fan-out and every sender's push run on the ingress thread (libwebrtc's decoder thread for a
 * browser publisher, the capture thread for the test pattern).
 */
public final class TranscodingRelay implements DecodedRelaySample {
    private final DecodedRelay relay;
    private volatile boolean closed;

    private TranscodingRelay(ServerOptions options, SourceOptions source, boolean browserPublisher, WebRtcOptions rtc) {
        this.relay = new DecodedRelay("relay", "relay", options, source, browserPublisher, rtc);
        relay.ingress().stream().attach(relay.viewers().fanOut(), 100);
        try {
            relay.join();
            relay.ingress().start();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Starts the relay. With {@code browserPublisher}, frames come from whoever opens {@link #publisherPage()}. */
    public static TranscodingRelay start(ServerOptions options, SourceOptions source, boolean browserPublisher, WebRtcOptions rtc) {
        return new TranscodingRelay(options, source, browserPublisher, rtc);
    }

    @Override
    public DecodedRelay relay() {
        return relay;
    }

    public Ingress ingress() {
        return relay.ingress();
    }

    @Override
    public String statusLine() {
        return "relay · " + relay.status() + " out";
    }

    /** Leaves the room, closes the ingress, the viewers, the runtime and the server. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        relay.leave();
        relay.close();
    }
}
