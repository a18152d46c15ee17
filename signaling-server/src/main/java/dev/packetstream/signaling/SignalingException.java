package dev.packetstream.signaling;

/**
 * A client could not connect or join: {@link #error()} holds the server's error when it refused
 * the join, otherwise the cause says why the connection failed.
 */
public final class SignalingException extends RuntimeException {
    private final transient SignalingError error;

    public SignalingException(String message, SignalingError error, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    /** The server's refusal, or null when the connection itself failed. */
    public SignalingError error() {
        return error;
    }
}
