package dev.packetstream.webrtc;

/**
 * A failure of libwebrtc or of a session's negotiation. The message names the runtime or session
 * at fault and says what to do.
 */
public class RtcException extends RuntimeException {
    public RtcException(String message) {
        super(message);
    }

    public RtcException(String message, Throwable cause) {
        super(message, cause);
    }
}
