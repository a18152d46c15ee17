package dev.packetstream.signaling.bridge;

/** The root of this module's exceptions: a room could not be joined, and why. */
public final class SignalingBridgeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SignalingBridgeException(String message, Throwable cause) {
        super(message, cause);
    }
}
