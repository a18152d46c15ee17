package dev.packetstream.samples.webcam;

import dev.packetstream.av.MediaCapture;
import dev.packetstream.av.VideoConverter;
import dev.packetstream.core.AttachOption;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.media.RawVideoFrame;
import dev.packetstream.samples.common.ClockStamp;
import dev.packetstream.samples.common.EmbeddedServer;
import dev.packetstream.samples.common.Formats;
import dev.packetstream.samples.common.RateMeter;
import dev.packetstream.samples.common.RunningSample;
import dev.packetstream.samples.common.ServerOptions;
import dev.packetstream.samples.common.SourceOptions;
import dev.packetstream.samples.common.ViewerRoom;
import dev.packetstream.samples.common.WebRtcOptions;
import dev.packetstream.signaling.SignalingServer;
import dev.packetstream.signaling.bridge.RoomConnection;
import dev.packetstream.webrtc.RtcRuntime;
import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * webcam-to-browser: the camera (or the test pattern, or a file) to every viewer page that opens
 * the printed URL.
 *
 * <pre>
 * MediaCapture ──► VideoConverter(I420, --size) ──► ViewerRoom ──► viewer-&lt;id&gt; stream: WebRtcTrackSender ──► browser
 *   (capture thread)                                 (fan-out)       (one per viewer page, own session)
 * </pre>
 *
 * libwebrtc encodes inside each viewer's session (VP8 by default), so the one copy per frame per
 * viewer is the sender's copy into libwebrtc's native buffer. With audio, each viewer gets an
 * {@link RtcRuntime} of its own, because a runtime carries one audio input.
 *
 * <h2>Threads</h2>
 * The capture thread runs the whole stream, the fan-out and the senders' pushes; the room's control
 * thread opens and closes sessions; the signaling client's thread routes messages.
 */
public final class WebcamToBrowser implements RunningSample {
    private volatile SignalingServer server;
    private final MediaCapture capture;
    private final VideoConverter converter;
    private final PacketStream stream;
    private final ViewerRoom viewers;
    private volatile RoomConnection room;
    private final RateMeter frames = new RateMeter();
    private final String source;
    private final RtcRuntime sharedRuntime;
    private volatile URI viewerPage;
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private volatile boolean closed;

    private WebcamToBrowser(ServerOptions serverOptions, SourceOptions sourceOptions, WebRtcOptions rtc) {
        this.source = sourceOptions.describe() + " " + sourceOptions.size;
        this.capture = sourceOptions.build();
        // One runtime per viewer when sending audio (one audio input per runtime); else all share one.
        // Creating it here also checks that libwebrtc loads before anyone opens the page.
        RtcRuntime shared = new RtcRuntime("webcam");
        boolean audio = sourceOptions.hasAudio();
        if (audio) {
            shared.close();
            shared = null;
        }
        this.sharedRuntime = shared;
        this.viewers = new ViewerRoom("webcam-viewers", "viewer", shared, rtc.sessionConfig(serverOptions.loopback),
                rtc.media(audio, sourceOptions.fps));
        this.stream = new PacketStream("webcam");
        stream.attachSource(capture, AttachOption.SYNC_STATE, AttachOption.CLOSE_WITH_STREAM);
        this.converter = new VideoConverter("to-size", sourceOptions.size.width(), sourceOptions.size.height());
        stream.attach(converter, 10, AttachOption.CLOSE_WITH_STREAM);
        if (sourceOptions.stampClock) {
            stream.attach(new ClockStamp("clock-stamp"), 20);
        }
        stream.addSink("fps", p -> {
            if (p instanceof RawVideoFrame) {
                frames.mark();
            }
        });
        stream.attach(viewers.fanOut(), 100);
        try {
            this.server = EmbeddedServer.start(serverOptions);
            this.room = EmbeddedServer.joinRoom(server, serverOptions.room, "publisher", viewers);
            stream.start();
        } catch (RuntimeException e) {
            closeAll();
            throw e;
        }
        this.viewerPage = EmbeddedServer.page(server, "viewer.html?room=" + serverOptions.room);
        capture.finished().whenComplete((v, e) -> {
            if (e != null) {
                finished.completeExceptionally(e);
            } else {
                finished.complete(null);
            }
        });
    }

    /** Starts the sample: server, room, capture; viewers get a session when they open {@link #viewerPage()}. */
    public static WebcamToBrowser start(ServerOptions server, SourceOptions source, WebRtcOptions rtc) {
        return new WebcamToBrowser(server, source, rtc);
    }

    /** The page to open in a browser. */
    public URI viewerPage() {
        return viewerPage;
    }

    /**
     * Copies of frame bytes made before the senders: by the capture (when the source is not I420 at
     * the requested size) and by the converter (when it scales or converts). Zero for the test
     * pattern at the requested size; each viewer's sender then makes the one copy per frame.
     */
    public long copiesBeforeSenders() {
        return capture.frameCopies() + converter.converted() + converter.stagingCopies();
    }

    public SignalingServer server() {
        return server;
    }

    public ViewerRoom viewers() {
        return viewers;
    }

    public PacketStream stream() {
        return stream;
    }

    @Override
    public CompletableFuture<Void> finished() {
        return finished;
    }

    @Override
    public String statusLine() {
        viewers.refreshStats();
        return "webcam-to-browser · " + source + " · " + Formats.fps(frames.perSecond()) + " · "
                + viewers.viewerCount() + " viewer(s) · " + Formats.bitrate(viewers.videoBitrateBps());
    }

    /** Stops the capture, closes every viewer, the runtime, the room and the server, in that order. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeAll();
    }

    private void closeAll() {
        stream.close();
        viewers.close();
        if (room != null) {
            room.close();
        }
        if (sharedRuntime != null) {
            sharedRuntime.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
