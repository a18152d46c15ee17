package dev.packetstream.signaling;

/**
 * The root of what this module throws: a client that could not connect or join
 * ({@link SignalingClientException}), a server that could not start or stop
 * ({@link SignalingServerException}), a message or token that broke the protocol
 * ({@link ProtocolException}).
 */
public abstract sealed class SignalingException extends RuntimeException
        permits SignalingClientException, SignalingServerException, ProtocolException {
    private static final long serialVersionUID = 1L;

    private final transient SignalingError error;

    SignalingException(String message, SignalingError error, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    /** The server's refusal behind this failure (a refused join), or null. */
    public SignalingError error() {
        return error;
    }
}
