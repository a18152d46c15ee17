package dev.packetstream.samples.recorder;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * One browser session's recording: {@link RemuxSession} (the browser's encoded media written as it
 * is, the default) or {@link RecordingSession} (decoded and re-encoded, {@code --transcode}).
 *
 * <h2>Finalizing</h2>
 * {@link #finish()} runs once, whichever comes first: the browser's {@code recording: stop} event,
 * the browser leaving or disconnecting, or the program stopping; it blocks until the file is
 * complete (trailer written) and the session closed.
 */
public interface Recording {
    String peerId();

    Path file();

    /** Completes when the browser's session has closed (hung up, disconnected). */
    CompletableFuture<Void> sessionClosed();

    /** Whether the file is complete (trailer written, session closed). */
    default boolean isFinished() {
        return finished().isDone();
    }

    /** Completes with the file once it is complete. */
    CompletableFuture<Path> finished();

    /** Bytes written to the file so far. */
    long fileSize();

    /** Video frames received from the browser so far. */
    long videoFramesReceived();

    /** Received video frames per second since the previous call (status line). */
    double framesPerSecond();

    /** Video packets written to the file so far. */
    long videoPacketsWritten();

    /** Finalizes the file and closes the session. Idempotent; blocks until the trailer is written. */
    void finish();
}
