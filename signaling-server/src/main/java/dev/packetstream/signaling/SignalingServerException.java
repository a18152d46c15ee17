package dev.packetstream.signaling;

/** The server could not start or stop. */
public final class SignalingServerException extends SignalingException {
    private static final long serialVersionUID = 1L;

    public SignalingServerException(String message, Throwable cause) {
        super(message, null, cause);
    }
}
