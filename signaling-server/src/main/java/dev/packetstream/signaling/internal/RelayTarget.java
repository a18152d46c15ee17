package dev.packetstream.signaling.internal;

/**
 * Where a relayed message for one addressed peer goes: its connection's {@link Outbox} when the
 * peer is connected to this server, or the peer's server through Redis when it is not.
 *
 * <h2>Threads</h2>
 * {@link #relay} from any thread; messages relayed by one thread to one target arrive in call order.
 */
@FunctionalInterface
public interface RelayTarget {
    /** Writes (or forwards) a relayed message; counted as relayed or rejected with its reason. */
    void relay(String text);
}
