package dev.packetstream.core;

/**
 * A source whose production a stream may start and stop ({@link AttachOption#SYNC_STATE}).
 *
 * <h2>Threads</h2>
 * {@link #start()} and {@link #stop()} are called on the thread that starts or stops the stream,
 * which can be the source's own emitting thread (a FINAL packet stops the stream from the thread
 * that wrote it): {@code stop()} must therefore not wait for the source's own thread to end.
 */
public interface Startable {
    /** Starts producing packets. */
    void start();

    /** Stops producing packets. Must not wait for the thread that is emitting. */
    void stop();
}
