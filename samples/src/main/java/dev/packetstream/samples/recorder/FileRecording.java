package dev.packetstream.samples.recorder;

import dev.packetstream.av.MultiplexPacketEncoder;
import dev.packetstream.core.AsyncPacketQueue;
import dev.packetstream.core.AttachOption;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.PacketStreamAdapter;
import dev.packetstream.core.StreamState;
import dev.packetstream.samples.common.RateMeter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both kinds of {@link Recording} share: the stream from the session's receiver through a
 * queue that drains fully on stop to the file's muxer, and finishing it once.
 *
 * <pre>
 * receiver ──► [stages before 0] ──► AsyncPacketQueue("to-file", order 0) ──► [stages 1..49] ──► MultiplexPacketEncoder("file", order 50)
 * </pre>
 *
 * <h2>Ownership</h2>
 * The recording owns the session (closed by {@link #finish()}, or by the constructor when the
 * stream cannot start), the stream, and through it the muxer ({@code CLOSE_WITH_STREAM}).
 *
 * <h2>Finalizing</h2>
 * {@link #finish()} stops the stream (the queue drains, the muxer writes the trailer), closes it,
 * then closes the session; it runs once, and a second caller on another thread waits for the first.
 * The subclass's {@link #summary()} says what was written, after the file is complete.
 */
abstract class FileRecording implements Recording {
    private static final Logger log = LoggerFactory.getLogger(FileRecording.class);

    private final String peerId;
    private final Path file;
    private final Runnable closeSession;
    private final CompletableFuture<Void> sessionClosed;
    private final LongSupplier framesReceived;
    private final RateMeter frames;
    private final AsyncPacketQueue queue;
    private final PacketStream stream;
    private final MultiplexPacketEncoder muxer;
    private final AtomicBoolean finishing = new AtomicBoolean();
    private final CompletableFuture<Path> finished = new CompletableFuture<>();
    private volatile Thread finisher;

    /**
     * Builds and starts the stream {@code streamName}: {@code receiver} as its source, the queue at
     * order 0, the muxer built from {@code muxer} at order 50, and whatever {@code stages} attaches
     * around them. On failure everything is closed, the session too, and the exception rethrown.
     *
     * @param closeSession closes the session (on failure here, or when finishing)
     * @param sessionClosed completes when the session has closed
     * @param framesReceived the receiver's count of video frames (or packets) received
     * @throws RuntimeException when the muxer or the stream cannot start (a bad folder fails here)
     */
    protected FileRecording(String peerId, Path file, Runnable closeSession, CompletableFuture<Void> sessionClosed,
                            String streamName, PacketStreamAdapter receiver, LongSupplier framesReceived,
                            MultiplexPacketEncoder.Builder muxer, Consumer<PacketStream> stages) {
        this.peerId = peerId;
        this.file = file;
        this.closeSession = closeSession;
        this.sessionClosed = sessionClosed;
        this.framesReceived = framesReceived;
        this.frames = new RateMeter(framesReceived);
        // 512 packets: about 3 s of video and audio. On stop it drains fully (up to 30 s) so that a
        // writer that fell behind still gets every frame into the file before the trailer.
        this.queue = new AsyncPacketQueue("to-file", 512);
        queue.stopTimeout(Duration.ofSeconds(30));
        this.stream = new PacketStream(streamName);
        MultiplexPacketEncoder r = null;
        try {
            r = muxer.name("file").build();
            stream.addErrorListener(e -> log.error("recording {} failed: {}", file, e.getMessage()));
            stream.attachSource(receiver, AttachOption.SYNC_STATE);
            stream.attach(queue, 0);
            stages.accept(stream);
            stream.attach(r, 50, AttachOption.CLOSE_WITH_STREAM);
            stream.start(); // opens the file: a bad folder fails here
        } catch (RuntimeException e) {
            stream.close();
            if (r != null) {
                r.close();
            }
            closeSession.run();
            throw e;
        }
        this.muxer = r;
    }

    /** The first 8 characters of a peer id, for session, stream and file names. */
    static String shortId(String peerId) {
        return peerId.length() > 8 ? peerId.substring(0, 8) : peerId;
    }

    @Override
    public String peerId() {
        return peerId;
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public CompletableFuture<Void> sessionClosed() {
        return sessionClosed;
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
        return framesReceived.getAsLong();
    }

    @Override
    public double framesPerSecond() {
        return frames.perSecond();
    }

    @Override
    public long videoPacketsWritten() {
        return muxer.videoPacketsWritten();
    }

    /** The file's muxer (what it wrote, its audio timing). */
    protected MultiplexPacketEncoder muxer() {
        return muxer;
    }

    /** Packets (or frames) the queue dropped because the writer fell behind. */
    protected long queueDropped() {
        return queue.droppedCount();
    }

    @Override
    public final void finish() {
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
            closeSession.run();
            finished.complete(file);
        }
        log.info("recording finished: {} ({} bytes, {})", file, fileSize(), summary());
    }

    /** What was written and received, for the log line once the file is complete: e.g. packet counts. */
    protected abstract String summary();
}
