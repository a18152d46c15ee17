package dev.packetstream.samples.recorder;

import dev.packetstream.av.Container;
import dev.packetstream.av.MultiplexPacketEncoder;
import dev.packetstream.core.AsyncPacketQueue;
import dev.packetstream.core.AttachOption;
import dev.packetstream.core.Packet;
import dev.packetstream.core.PacketProcessor;
import dev.packetstream.core.Retention;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.StreamState;
import dev.packetstream.core.media.EncodedVideoPacket;
import dev.packetstream.samples.common.RateMeter;
import dev.packetstream.signaling.bridge.PeerSignaller;
import dev.packetstream.webrtc.encoded.EncodedPeerSession;
import dev.packetstream.webrtc.encoded.EncodedRuntime;
import dev.packetstream.webrtc.encoded.EncodedSessionConfig;
import dev.packetstream.webrtc.encoded.EncodedTrackReceiver;
import dev.packetstream.webrtc.encoded.MediaKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One browser's recording without transcoding: the browser's encoded video (VP8, or H.264 for MP4)
 * and Opus audio are written to the file as they arrive, nothing decoded or encoded.
 *
 * <pre>
 * EncodedTrackReceiver ──► AsyncPacketQueue("to-file") ──► RemuxHeaders ──► MultiplexPacketEncoder(file)
 *  (GStreamer webrtcbin,        (one writer thread                                     (muxes the packets as they are,
 *   depayloaded, owned)          for both tracks)                                       trailer on stop)
 * </pre>
 *
 * <h2>Timestamps</h2>
 * Both tracks carry the receiver's timestamps: the session's running time after the jitter buffer,
 * where the browser's RTCP sender reports put audio and video on one clock. The muxer writes them
 * as they are (from the first video keyframe on), so the file keeps the browser's own A/V
 * alignment and its real frame timing; nothing is re-stamped on arrival.
 *
 * <h2>Size</h2>
 * The file has the browser's resolution, which changes while its bandwidth estimate ramps up; the
 * changes come at keyframes and players follow them. ({@code --transcode} scales to one size.)
 *
 * <h2>Ownership</h2>
 * The receiver's packets are owned (copied once out of GStreamer); the muxer copies each into
 * FFmpeg's packet during the call.
 */
public final class RemuxSession implements Recording {
    private static final Logger log = LoggerFactory.getLogger(RemuxSession.class);

    private final String peerId;
    private final Path file;
    private final EncodedPeerSession session;
    private final EncodedTrackReceiver receiver;
    private final MultiplexPacketEncoder recorder;
    private final AsyncPacketQueue queue;
    private final PacketStream stream;
    private final RateMeter frames;
    private final AtomicBoolean finishing = new AtomicBoolean();
    private final CompletableFuture<Path> finished = new CompletableFuture<>();
    private volatile Thread finisher;
    private volatile long firstVideoNanos;
    private volatile long lastVideoNanos;

    RemuxSession(String peerId, Path file, Container container, EncodedRuntime runtime, EncodedSessionConfig config,
                 PeerSignaller signaller) {
        this.peerId = peerId;
        this.file = file;
        this.session = runtime.newSession("rec-" + RecordingSession.shortId(peerId), config, signaller);
        this.receiver = session.newReceiver("from-browser", MediaKind.VIDEO, MediaKind.AUDIO);
        // 512 packets: about 3 s of video and audio; drained fully on stop (up to 30 s).
        this.queue = new AsyncPacketQueue("to-file", 512);
        queue.stopTimeout(Duration.ofSeconds(30));
        this.frames = new RateMeter(receiver::videoPacketsReceived);
        this.stream = new PacketStream("remux-" + RecordingSession.shortId(peerId));
        MultiplexPacketEncoder r = null;
        try {
            r = MultiplexPacketEncoder.builder(file).container(container).name("file").build();
            stream.addErrorListener(e -> log.error("recording {} failed: {}", file, e.getMessage()));
            stream.attachSource(receiver, AttachOption.SYNC_STATE);
            stream.attach(new Arrivals(), -10);
            stream.attach(queue, 0);
            stream.attach(new RemuxHeaders("codec-headers"), 40);
            stream.attach(r, 50, AttachOption.CLOSE_WITH_STREAM);
            stream.start(); // opens the file: a bad folder fails here
        } catch (RuntimeException e) {
            stream.close();
            if (r != null) {
                r.close();
            }
            session.close();
            throw e;
        }
        this.recorder = r;
    }

    /** Notes when the first and last video packets arrived (receiver's thread), and passes everything on. */
    private final class Arrivals extends PacketProcessor {
        Arrivals() {
            super("arrivals", Retention.BORROWED);
        }

        @Override
        public void process(Packet packet) {
            if (packet instanceof EncodedVideoPacket) {
                long now = System.nanoTime();
                if (firstVideoNanos == 0) {
                    firstVideoNanos = now;
                }
                lastVideoNanos = now;
            }
            emit(packet);
        }
    }

    @Override
    public String peerId() {
        return peerId;
    }

    @Override
    public Path file() {
        return file;
    }

    public EncodedPeerSession session() {
        return session;
    }

    public EncodedTrackReceiver receiver() {
        return receiver;
    }

    @Override
    public CompletableFuture<Void> sessionClosed() {
        return session.closedFuture();
    }

    @Override
    public CompletableFuture<Path> finished() {
        return finished;
    }

    @Override
    public long fileSize() {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public long videoFramesReceived() {
        return receiver.videoPacketsReceived();
    }

    /** Seconds from the first to the last video packet received (wall clock). */
    public double videoSecondsReceived() {
        long first = firstVideoNanos;
        return first == 0 ? 0 : (lastVideoNanos - first) / 1e9;
    }

    @Override
    public double framesPerSecond() {
        return frames.perSecond();
    }

    @Override
    public long videoPacketsWritten() {
        return recorder.videoPacketsWritten();
    }

    /** Packets the queue dropped because the writer fell behind. */
    public long packetsDropped() {
        return queue.droppedCount();
    }

    @Override
    public void finish() {
        if (!finishing.compareAndSet(false, true)) {
            if (Thread.currentThread() != finisher) {
                finished.join(); // another thread is finishing: wait for the trailer
            }
            return;
        }
        finisher = Thread.currentThread();
        try {
            stream.stop();
            log.debug("{}", stream.describe());
            if (stream.state() == StreamState.ERROR) {
                log.warn("recording {} ended with an error: {}", file, stream.error());
            }
        } finally {
            stream.close();
            session.close();
            finished.complete(file);
        }
        log.info("recording finished: {} ({} bytes, {} video packets of {} received)", file, fileSize(),
                recorder.videoPacketsWritten(), receiver.videoPacketsReceived());
    }
}
