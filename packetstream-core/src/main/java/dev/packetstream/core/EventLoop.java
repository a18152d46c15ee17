package dev.packetstream.core;

/**
 * A thread (or a set of threads acting as one) that runs tasks in order: the target of a
 * {@link SyncPacketQueue} hop. Plug in the loop of your own server, or use
 * {@link SingleThreadEventLoop}.
 *
 * <p>The hand-off idiom: {@code if (loop.inEventLoop()) run(); else loop.execute(run);}
 */
public interface EventLoop {
    /**
     * Runs {@code task} on the loop, after the tasks submitted before it.
     *
     * @throws java.util.concurrent.RejectedExecutionException when the loop is shut down
     */
    void execute(Runnable task);

    /** Whether the calling thread is the loop's thread. */
    boolean inEventLoop();
}
