package dev.packetstream.samples;

import dev.packetstream.core.AttachOption;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.media.EncodedAudioPacket;
import dev.packetstream.core.media.EncodedVideoPacket;
import dev.packetstream.core.media.VideoCodec;
import dev.packetstream.signaling.PeerInfo;
import dev.packetstream.signaling.SignalingClient;
import dev.packetstream.signaling.bridge.PeerDirectory;
import dev.packetstream.signaling.bridge.RoomConnection;
import dev.packetstream.signaling.bridge.RoomListener;
import dev.packetstream.webrtc.encoded.EncodedPeerSession;
import dev.packetstream.webrtc.encoded.EncodedRuntime;
import dev.packetstream.webrtc.encoded.EncodedSessionConfig;
import dev.packetstream.webrtc.encoded.EncodedTrackReceiver;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Non-decoding viewers for the relay's capacity figure: each joins the room as a {@code viewer}
 * (like a viewer page), answers the relay's offer with a GStreamer {@link EncodedTrackReceiver},
 * and counts what arrives without decoding it: video frames, keyframes, audio packets, whether the
 * first frame was a keyframe, and the frames missing from the timestamps (a gap of more than 1.5
 * frame intervals counts the frames it skips). So the relay is measured, not the decoders of a
 * browser on the same cores.
 *
 * <p>All viewers share one WebSocket client and two signaling threads (a client of its own per
 * viewer would add about nine threads each: ~1,800 at 200 viewers), so that this process's threads
 * are the receivers' own.
 */
final class LoadViewers implements LoadReceivers {
    private final EncodedRuntime gst = new EncodedRuntime("load");
    private final URI server;
    private final String room;
    private final double fps;
    private final EncodedSessionConfig config = EncodedSessionConfig.builder().loopbackOnly(true)
            .videoCodecs(VideoCodec.VP8, VideoCodec.H264).build();
    private final List<Viewer> viewers = new CopyOnWriteArrayList<>();
    private final WebSocketClient webSockets = new WebSocketClient();
    private final ScheduledExecutorService signalingThreads = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "load-signaling");
        t.setDaemon(true);
        return t;
    });

    LoadViewers(URI webSocket, String room, double fps) {
        this.server = webSocket;
        this.room = room;
        this.fps = fps;
        try {
            webSockets.start();
        } catch (Exception e) {
            gst.close();
            signalingThreads.shutdownNow();
            throw new IllegalStateException("could not start the viewers' WebSocket client: " + e, e);
        }
    }

    /** One non-decoding viewer. */
    final class Viewer implements RoomListener, LoadReceivers.Counts {
        final AtomicLong frames = new AtomicLong();
        final AtomicLong keyframes = new AtomicLong();
        final AtomicLong audio = new AtomicLong();
        final AtomicLong missing = new AtomicLong();
        volatile Boolean firstWasKeyframe;
        private long lastPtsUs = -1;
        private volatile RoomConnection connection;
        private volatile EncodedPeerSession session;
        private volatile PacketStream in;

        @Override
        public long frames() {
            return frames.get();
        }

        @Override
        public long keyframes() {
            return keyframes.get();
        }

        @Override
        public long audioPackets() {
            return audio.get();
        }

        @Override
        public long missing() {
            return missing.get();
        }

        @Override
        public Boolean firstWasKeyframe() {
            return firstWasKeyframe;
        }

        @Override
        public void unknownOffer(PeerDirectory peers, PeerInfo peer, String sdp) {
            EncodedPeerSession s = gst.newSession("lv-" + viewers.indexOf(this), config, peers.signallerFor(peer.id()));
            EncodedTrackReceiver rx = s.newReceiver("in");
            PacketStream stream = new PacketStream("lv-" + viewers.indexOf(this));
            stream.attachSource(rx, AttachOption.SYNC_STATE);
            stream.addSink(this::count);
            stream.start();
            session = s;
            in = stream;
        }

        private void count(dev.packetstream.core.Packet p) {
            if (p instanceof EncodedVideoPacket v) {
                if (firstWasKeyframe == null) {
                    firstWasKeyframe = v.isKeyframe();
                }
                frames.incrementAndGet();
                if (v.isKeyframe()) {
                    keyframes.incrementAndGet();
                }
                synchronized (this) {
                    if (lastPtsUs >= 0) {
                        missing.addAndGet(LoadReceivers.framesSkipped((v.ptsUs() - lastPtsUs) / (1e6 / fps)));
                    }
                    lastPtsUs = v.ptsUs();
                }
            } else if (p instanceof EncodedAudioPacket) {
                audio.incrementAndGet();
            }
        }

        void close() {
            if (connection != null) {
                connection.close();
            }
            if (in != null) {
                in.close();
            }
            if (session != null) {
                session.close();
            }
        }
    }

    @Override
    public String describe() {
        return "GStreamer webrtcbin receivers (EncodedTrackReceiver), not decoding";
    }

    @Override
    public void growTo(int count) {
        while (viewers.size() < count) {
            Viewer v = new Viewer();
            viewers.add(v);
            v.connection = RoomConnection.open(SignalingClient.builder(server).room(room).role("viewer")
                    .webSocketClient(webSockets).executor(signalingThreads), v).join();
        }
    }

    @Override
    public List<Viewer> viewers() {
        return List.copyOf(viewers);
    }

    @Override
    public void close() {
        for (Viewer v : viewers) {
            try {
                v.close();
            } catch (RuntimeException e) {
                // closing anyway
            }
        }
        gst.close();
        try {
            webSockets.stop();
        } catch (Exception e) {
            // closing anyway
        }
        signalingThreads.shutdownNow();
    }
}
