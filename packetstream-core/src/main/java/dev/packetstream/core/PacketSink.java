package dev.packetstream.core;

/**
 * Where packets go: a stream's sinks, and the link from one stage to the next.
 *
 * <h2>Ownership</h2>
 * The packet is lent for the duration of the call: keep it only by {@link Packet#copy()} (or
 * {@link Packet#retain()} for reference-counted packets) inside the call.
 *
 * <h2>Threads</h2>
 * A sink runs on the thread that delivers to it: the writing thread for a synchronous stream, a
 * queue's worker or event loop behind a queue boundary. With several writers and no queue it can
 * run on several threads at once.
 */
@FunctionalInterface
public interface PacketSink {
    /** Receives one packet. */
    void accept(Packet packet);
}
