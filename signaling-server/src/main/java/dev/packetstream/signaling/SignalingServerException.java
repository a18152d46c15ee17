package dev.packetstream.signaling;

/** The server could not start or stop. */
public final class SignalingServerException extends RuntimeException {
    public SignalingServerException(String message, Throwable cause) {
        super(message, cause);
    }
}
