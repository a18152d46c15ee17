package dev.packetstream.core;

/**
 * The root of the core's exceptions: catch it to handle whatever the data plane reports
 * ({@link StageException}: a stage failed; {@link PacketExpiredException}: a stage kept a lent
 * packet past its call; {@link IllegalReferenceCountException}: freed storage was used). Misuse
 * of the API (a wrong argument, a call in the wrong state) is reported with the JDK's
 * {@link IllegalArgumentException} and {@link IllegalStateException} instead.
 */
public abstract sealed class PacketStreamException extends RuntimeException
        permits StageException, PacketExpiredException, IllegalReferenceCountException {
    private static final long serialVersionUID = 1L;

    PacketStreamException(String message) {
        super(message);
    }

    PacketStreamException(String message, Throwable cause) {
        super(message, cause);
    }
}
