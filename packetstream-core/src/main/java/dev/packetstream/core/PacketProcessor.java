package dev.packetstream.core;

/**
 * A stage that transforms or filters packets: {@link #process(Packet)} does its work and
 * {@link #emit(Packet)}s the result.
 *
 * <h2>Order</h2>
 * Processors run in ascending order (attach order for equal orders). Every processor is asked
 * {@link #accepts(Packet)}; a packet it does not accept passes it by to the next stage.
 *
 * <h2>Ownership</h2>
 * The packet is lent for the call: see {@link PacketStreamAdapter} and {@link Retention}.
 *
 * <h2>Threads</h2>
 * {@code process} runs on the thread that delivers to this stage: the writer's thread, or a
 * queue's worker or loop downstream of a queue boundary. With several writers and no queue before
 * it, it can run on several threads at once; put an {@link AsyncPacketQueue} before a processor
 * that is not thread safe. {@link #onStart()} and {@link #onStop()} run on the thread that starts
 * or stops the stream.
 *
 * <h2>Errors</h2>
 * An exception thrown by {@code process} or {@code onStop} moves the stream to
 * {@link StreamState#ERROR}, reaches its error listeners as a {@link StageException} naming this
 * stage, and (by default) closes the stream.
 */
public abstract class PacketProcessor extends PacketStreamAdapter {

    /** A processor that borrows: uses each packet only during the call. */
    protected PacketProcessor(String name) {
        this(name, Retention.BORROWED);
    }

    protected PacketProcessor(String name, Retention retention) {
        super(name, retention);
    }

    /** Whether this processor handles the packet; one it does not accept passes it by. Keep it cheap. */
    public boolean accepts(Packet packet) {
        return true;
    }

    /** Handles one packet and emits the result(s). */
    public abstract void process(Packet packet);

    /** The stream is starting: open what processing needs. */
    protected void onStart() {
    }

    /**
     * The stream is stopping and every stage before this one has flushed: emit what is left (an
     * encoder's last packets, a muxer's trailer). What is emitted here reaches the sinks.
     */
    protected void onStop() {
    }

    /** The stream is closing: release what {@code onStart} opened. Must not throw. */
    protected void onClose() {
    }

    /** Packets waiting in this stage (queues); shown in stats. */
    protected int queueDepth() {
        return 0;
    }

    /** Whether the calling thread is the one this stage delivers on (a queue's worker or loop). */
    protected boolean isDeliveryThread() {
        return false;
    }

    /** Rows this stage adds to the stream's stats after its own (a branch group's branches). */
    java.util.List<StageStats> subStageStats(int order) {
        return java.util.List.of();
    }
}
