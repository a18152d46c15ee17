package dev.packetstream.samples.relay;

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

/**
 * relay: one publisher (a browser page, or the Java test pattern) and many viewers. The source's
 * decoded frames fan out to one sender per viewer; viewers join and leave at any time without
 * disturbing the others.
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
public final class Relay implements RunningSample {
    private final RtcRuntime runtime;
    private final Ingress ingress;
    private final ViewerRoom viewers;
    private volatile SignalingServer server;
    private volatile RoomConnection room;
    private volatile URI viewerPage;
    private volatile URI publisherPage;
    private volatile boolean closed;

    private Relay(ServerOptions options, SourceOptions source, boolean browserPublisher, WebRtcOptions rtc) {
        this.runtime = new RtcRuntime("relay");
        PeerSessionConfig config = rtc.sessionConfig(options.loopback);
        try {
            this.ingress = browserPublisher ? Ingress.browser(runtime, PeerSessionConfig.builder().loopbackOnly(options.loopback).build())
                    : Ingress.capture(source);
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
        this.viewers = new ViewerRoom("relay-viewers", "viewer", runtime, config, rtc.media(false, 0));
        ingress.stream().attach(viewers.fanOut(), 100);
        try {
            this.server = EmbeddedServer.start(options);
            this.room = EmbeddedServer.joinRoom(server, options.room, "relay", new Peers());
            ingress.start();
            this.viewerPage = EmbeddedServer.page(server, "viewer.html?room=" + options.room);
            this.publisherPage = EmbeddedServer.page(server, "publisher.html?room=" + options.room + "&to=relay");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Starts the relay. With {@code browserPublisher}, frames come from whoever opens {@link #publisherPage()}. */
    public static Relay start(ServerOptions options, SourceOptions source, boolean browserPublisher, WebRtcOptions rtc) {
        return new Relay(options, source, browserPublisher, rtc);
    }

    /** Routes the room: viewers to the fan-out, a publisher's offer to the ingress. */
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

    public URI viewerPage() {
        return viewerPage;
    }

    /** The page that publishes a browser camera to the relay (browser-publisher mode). */
    public URI publisherPage() {
        return publisherPage;
    }

    public boolean browserPublisher() {
        return ingress.fromBrowser();
    }

    public ViewerRoom viewers() {
        return viewers;
    }

    public Ingress ingress() {
        return ingress;
    }

    @Override
    public String statusLine() {
        viewers.refreshStats();
        return "relay · " + ingress.describe() + " · " + Formats.fps(ingress.framesPerSecond()) + " in · "
                + viewers.viewerCount() + " viewer(s) · " + Formats.bitrate(viewers.videoBitrateBps()) + " out";
    }

    /** Leaves the room, closes the ingress, the viewers, the runtime and the server. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (room != null) {
            room.close();
        }
        if (ingress != null) {
            ingress.close();
        }
        if (viewers != null) {
            viewers.close();
        }
        runtime.close();
        if (server != null) {
            server.close();
        }
    }
}
