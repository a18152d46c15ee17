package dev.packetstream.signaling;

/**
 * A client could not connect or join: {@link #error()} holds the server's error when it refused
 * the join, otherwise the cause says why the connection failed.
 */
public final class SignalingClientException extends SignalingException {
    private static final long serialVersionUID = 1L;

    public SignalingClientException(String message, SignalingError error, Throwable cause) {
        super(message, error, cause);
    }
}
