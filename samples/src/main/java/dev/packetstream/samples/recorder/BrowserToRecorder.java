package dev.packetstream.samples.recorder;

import com.fasterxml.jackson.databind.JsonNode;
import dev.packetstream.av.Container;
import dev.packetstream.core.media.FrameSize;
import dev.packetstream.core.media.VideoCodec;
import dev.packetstream.samples.common.Formats;
import dev.packetstream.samples.common.HostedRoom;
import dev.packetstream.samples.common.RunningSample;
import dev.packetstream.samples.common.SampleException;
import dev.packetstream.samples.common.ServerOptions;
import dev.packetstream.signaling.PeerInfo;
import dev.packetstream.signaling.bridge.PeerDirectory;
import dev.packetstream.signaling.bridge.PeerSignaller;
import dev.packetstream.signaling.bridge.RoomListener;
import dev.packetstream.webrtc.PeerSessionConfig;
import dev.packetstream.webrtc.RtcRuntime;
import dev.packetstream.webrtc.encoded.EncodedRuntime;
import dev.packetstream.webrtc.encoded.EncodedSessionConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * browser-to-recorder: the recorder page publishes the browser's camera and microphone; each
 * browser session is recorded to its own file in the recordings folder, finalized when the browser
 * stops, leaves or disconnects, or when the program stops.
 *
 * <h2>Remux (default) or transcode</h2>
 * By default the browser's encoded media is written as it is ({@link RemuxSession}, GStreamer
 * webrtcbin): VP8 + Opus for WebM and MKV, H.264 + Opus for MP4 (the browser is asked for that
 * codec), no decoding, no encoding, the browser's resolution. With {@code transcode}
 * ({@link RecordingSession}, libwebrtc) every frame is decoded, scaled to one size and encoded
 * again (VP8 + Opus, or H.264 + AAC for MP4): one size in the file, ten times the CPU.
 *
 * <h2>Threads</h2>
 * Sessions are created on the signaling client's thread when a browser's offer arrives (the offer
 * is then routed to the new session, which answers on its own event thread). Finalizing (which
 * blocks until the trailer is written) runs on the sample's control thread
 * {@code recorder-control}, or on the closing thread at shutdown.
 */
public final class BrowserToRecorder implements RunningSample {
    private static final Logger log = LoggerFactory.getLogger(BrowserToRecorder.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path folder;
    private final Container container;
    private final boolean transcode;
    private final Recorder recorder;
    private final ExecutorService control = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "recorder-control");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Recording> active = new ConcurrentHashMap<>();
    private final List<Recording> all = new CopyOnWriteArrayList<>();
    private final HostedRoom room;
    private volatile URI recorderPage;
    private volatile boolean closed;

    private BrowserToRecorder(ServerOptions options, Path folder, Container container, FrameSize size, boolean transcode) {
        this.folder = folder.toAbsolutePath();
        this.container = container;
        this.transcode = transcode;
        this.room = new HostedRoom(options, "recorder");
        try {
            Files.createDirectories(this.folder);
        } catch (IOException e) {
            throw new SampleException("cannot create the recordings folder " + this.folder + ": " + e.getMessage()
                    + "; pass --recordings <writable folder>", e);
        }
        if (!Files.isWritable(this.folder)) {
            throw new SampleException("the recordings folder " + this.folder + " is not writable; pass --recordings <writable folder>");
        }
        this.recorder = transcode ? transcoding(options, container, size) : remuxing(options, container);
        try {
            room.open(new Peers());
            this.recorderPage = room.page("recorder.html?room=" + options.room);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Starts the server and joins the room; browsers that open {@link #recorderPage()} are recorded,
     * remuxed as they send.
     */
    public static BrowserToRecorder start(ServerOptions options, Path folder, Container container) {
        return new BrowserToRecorder(options, folder, container, null, false);
    }

    /** As {@link #start(ServerOptions, Path, Container)}, but decoded and encoded again at {@code size}. */
    public static BrowserToRecorder startTranscoding(ServerOptions options, Path folder, Container container, FrameSize size) {
        return new BrowserToRecorder(options, folder, container, size, true);
    }

    /** Starts a browser's recording on sessions of the runtime it owns. */
    private interface Recorder extends AutoCloseable {
        Recording start(String peerId, Path file, PeerSignaller signaller);

        /** Closes the runtime. */
        @Override
        void close();
    }

    /** Decoded by libwebrtc, encoded again at {@code size}. */
    private static Recorder transcoding(ServerOptions options, Container container, FrameSize size) {
        PeerSessionConfig config = PeerSessionConfig.builder().loopbackOnly(options.loopback).build();
        RtcRuntime runtime = new RtcRuntime("recorder");
        return new Recorder() {
            @Override
            public Recording start(String peerId, Path file, PeerSignaller signaller) {
                return RecordingSession.start(peerId, file, container, size, runtime, config, signaller);
            }

            @Override
            public void close() {
                runtime.close();
            }
        };
    }

    /** Received by GStreamer webrtcbin and written as it is. */
    private static Recorder remuxing(ServerOptions options, Container container) {
        // The browser's own audio packet time (20 ms). EncodedSessionConfig.audioPacketTime(60 ms) would
        // cut the audio packets to a third, and the receive path's cost is per packet, but the first
        // beep/flash pair of RecordingSyncTest's remux recording then came out +51 ms (once in two runs,
        // 2 Dec 2026): not the default until that is understood (samples README, "Encoded media (issue 9)").
        EncodedSessionConfig config = EncodedSessionConfig.builder().loopbackOnly(options.loopback).videoCodecs(remuxCodecs(container)).build();
        EncodedRuntime gst = new EncodedRuntime("recorder"); // fails here, naming the packages to install, without GStreamer
        return new Recorder() {
            @Override
            public Recording start(String peerId, Path file, PeerSignaller signaller) {
                return RemuxSession.start(peerId, file, container, gst, config, signaller);
            }

            @Override
            public void close() {
                gst.close();
            }
        };
    }

    /** The video codecs the browser is asked for when remuxing into {@code container}, preferred first. */
    static VideoCodec[] remuxCodecs(Container container) {
        return switch (container) {
            case WEBM -> new VideoCodec[] {VideoCodec.VP8, VideoCodec.VP9};
            case MKV -> new VideoCodec[] {VideoCodec.VP8, VideoCodec.VP9, VideoCodec.H264};
            case MP4 -> new VideoCodec[] {VideoCodec.H264};
        };
    }

    public boolean transcodes() {
        return transcode;
    }

    public URI recorderPage() {
        return recorderPage;
    }

    public Path folder() {
        return folder;
    }

    /** Every recording of this run, finished or not, in the order they started. */
    public List<Recording> recordings() {
        return List.copyOf(all);
    }

    private final class Peers implements RoomListener {
        @Override
        public void unknownOffer(PeerDirectory peers, PeerInfo peer, String sdp) {
            if (closed) {
                return;
            }
            Path file = folder.resolve(LocalDateTime.now().format(STAMP) + "-" + FileRecording.shortId(peer.id()) + "."
                    + container.extension());
            try {
                Recording s = recorder.start(peer.id(), file, peers.signallerFor(peer.id()));
                active.put(peer.id(), s);
                all.add(s);
                s.sessionClosed().whenComplete((v, e) -> finishLater(peer.id()));
                log.info("recording {} to {}", peer.id(), file);
            } catch (RuntimeException e) {
                peers.forget(peer.id());
                log.error("cannot record {}: {}", peer.id(), e.getMessage());
            }
        }

        @Override
        public void event(PeerDirectory peers, PeerInfo from, JsonNode data) {
            if ("stop".equals(data.path("recording").asText())) {
                finishLater(from.id());
            }
        }

        @Override
        public void peerLeft(PeerDirectory peers, PeerInfo peer) {
            finishLater(peer.id());
        }
    }

    private void finishLater(String peerId) {
        Recording s = active.remove(peerId);
        if (s == null) {
            return;
        }
        room.connection().directory().forget(peerId);
        try {
            control.execute(s::finish);
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            s.finish();
        }
    }

    @Override
    public String statusLine() {
        StringBuilder b = new StringBuilder("browser-to-recorder · ").append(active.size()).append(" recording(s)");
        for (Recording s : active.values()) {
            b.append(" · ").append(folderRelative(s.file())).append(' ').append(Formats.bytes(s.fileSize()))
                    .append(' ').append(Formats.fps(s.framesPerSecond()));
        }
        if (active.isEmpty()) {
            b.append(" · ").append(all.size()).append(" finished in ").append(folder);
        }
        return b.toString();
    }

    private String folderRelative(Path file) {
        return file.getFileName().toString();
    }

    /**
     * Leaves the room, finalizes every recording (trailers written), closes the runtime and the
     * server. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        room.leave();
        control.shutdown();
        try {
            control.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Recording s : new ArrayList<>(active.values())) {
            s.finish();
        }
        active.clear();
        recorder.close();
        room.close();
    }
}
