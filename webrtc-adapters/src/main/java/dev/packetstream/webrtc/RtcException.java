package dev.packetstream.webrtc;

/**
 * What webrtc-adapters throws (its only exception): a failure of libwebrtc or of a session's
 * negotiation. The message names the runtime or session at fault and says what to do.
 */
public final class RtcException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RtcException(String message) {
        super(message);
    }

    public RtcException(String message, Throwable cause) {
        super(message, cause);
    }
}
