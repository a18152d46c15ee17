package dev.packetstream.core;

/**
 * Thrown when a reference-counted packet is used after its last {@link Packet#release()}, or
 * released more often than it was retained. Touching released native storage would crash the JVM,
 * so this check is always on.
 */
public final class IllegalReferenceCountException extends PacketStreamException {
    private static final long serialVersionUID = 1L;

    IllegalReferenceCountException(String message) {
        super(message);
    }
}
