package dev.packetstream.samples.recorder;

import dev.packetstream.av.Container;
import dev.packetstream.av.MultiplexPacketEncoder;
import dev.packetstream.core.AsyncPacketQueue;
import dev.packetstream.core.AttachOption;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.StreamState;
import dev.packetstream.core.media.FrameSize;
import dev.packetstream.signaling.bridge.PeerSignaller;
import dev.packetstream.samples.common.RateMeter;
import dev.packetstream.webrtc.PeerSession;
import dev.packetstream.webrtc.PeerSessionConfig;
import dev.packetstream.webrtc.RtcRuntime;
import dev.packetstream.webrtc.WebRtcTrackReceiver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One browser's recording: the session that answers its offer, and the stream that writes its
 * camera and microphone to one file.
 *
 * <pre>
 * WebRtcTrackReceiver ──► AsyncPacketQueue("to-file") ──► MultiplexPacketEncoder(file)
 *  (decoded frames, ref-counted;     (retains; one writer        (encodes VP8/Opus or H.264/AAC,
 *   audio on the playout thread)      thread for both tracks)      muxes, trailer on stop)
 * </pre>
 *
 * <h2>Ownership</h2>
 * Received video frames are libwebrtc's native frames wrapped without a copy; the queue retains
 * each one across the thread hop and releases it after the recorder has encoded it (the recorder
 * copies into FFmpeg's frame during the call). Nothing is copied before the encoder.
 *
 * <h2>Finalizing</h2>
 * {@link #finish()} stops the stream (the queue drains, the encoders flush, the trailer is
 * written), closes it, then closes the session. It runs once, whichever comes first: the browser's
 * {@code recording: stop} event, the browser leaving or disconnecting, or the program stopping.
 */
public final class RecordingSession {
    private static final Logger log = LoggerFactory.getLogger(RecordingSession.class);

    private final String peerId;
    private final Path file;
    private final PeerSession session;
    private final WebRtcTrackReceiver receiver;
    private final MultiplexPacketEncoder recorder;
    private final AsyncPacketQueue queue;
    private final PacketStream stream;
    private final RateMeter frames;
    private final AtomicBoolean finishing = new AtomicBoolean();
    private final CompletableFuture<Path> finished = new CompletableFuture<>();
    private volatile Thread finisher;

    RecordingSession(String peerId, Path file, Container container, FrameSize size, RtcRuntime runtime,
                     PeerSessionConfig config, PeerSignaller signaller) {
        this.peerId = peerId;
        this.file = file;
        this.session = runtime.newSession("rec-" + shortId(peerId), config, signaller);
        this.receiver = session.newReceiver("from-browser");
        // 512 packets: about 3 s of video and audio. On stop it drains fully (up to 30 s) so that a
        // writer that fell behind still gets every frame into the file before the trailer.
        this.queue = new AsyncPacketQueue("to-file", 512);
        queue.stopTimeout(Duration.ofSeconds(30));
        this.frames = new RateMeter(receiver::videoFramesReceived);
        this.stream = new PacketStream("record-" + shortId(peerId));
        MultiplexPacketEncoder r = null;
        try {
            // A fixed size: browsers start low (320x180 while the bandwidth estimate ramps up) and
            // change resolution as they adapt; the recorder scales every frame to this size.
            r = MultiplexPacketEncoder.builder(file).container(container).videoSize(size.width(), size.height()).name("file").build();
            stream.addErrorListener(e -> log.error("recording {} failed: {}", file, e.getMessage()));
            stream.attachSource(receiver, AttachOption.SYNC_STATE);
            stream.attach(queue, 0);
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

    static String shortId(String peerId) {
        return peerId.length() > 8 ? peerId.substring(0, 8) : peerId;
    }

    public String peerId() {
        return peerId;
    }

    public Path file() {
        return file;
    }

    public PeerSession session() {
        return session;
    }

    /** Whether the file is complete (trailer written, session closed). */
    public boolean isFinished() {
        return finished.isDone();
    }

    /** Completes with the file once it is complete. */
    public CompletableFuture<Path> finished() {
        return finished;
    }

    /** Bytes written to the file so far. */
    public long fileSize() {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Video frames received from the browser so far. */
    public long videoFramesReceived() {
        return receiver.videoFramesReceived();
    }

    /** Received video frames per second since the previous call (status line). */
    public double framesPerSecond() {
        return frames.perSecond();
    }

    /** Video packets written to the file so far. */
    public long videoPacketsWritten() {
        return recorder.videoPacketsWritten();
    }

    /** What the recorder did to keep the audio on the clock: stretched, squeezed, silence, drops. */
    public dev.packetstream.av.AudioTimingStats audioTiming() {
        return recorder.audioTiming();
    }

    /** The receiver's timing corrections: see {@link WebRtcTrackReceiver#audioContentAdjustSamples()}. */
    public WebRtcTrackReceiver receiver() {
        return receiver;
    }

    /** Frames the queue dropped because the writer fell behind. */
    public long framesDropped() {
        return queue.droppedCount();
    }

    /** Finalizes the file and closes the session. Idempotent; blocks until the trailer is written. */
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
        log.info("recording finished: {} ({} bytes, {} video packets, {} audio packets; queue dropped {}; audio module pulls drifted"
                + " {} ms, NetEq adjusted audio by {} samples, video delay changed {} ms; {})", file, fileSize(),
                recorder.videoPacketsWritten(), recorder.audioPacketsWritten(), queue.droppedCount(),
                receiver.audioPullDriftMicros() / 1000, receiver.audioContentAdjustSamples(),
                receiver.videoDelayChangeMicros() / 1000, recorder.audioTiming());
    }
}
