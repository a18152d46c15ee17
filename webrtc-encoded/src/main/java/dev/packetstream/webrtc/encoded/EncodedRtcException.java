package dev.packetstream.webrtc.encoded;

/**
 * GStreamer refused or failed something. The message names the runtime or session at fault and
 * says what to check.
 */
public sealed class EncodedRtcException extends RuntimeException permits GstMissingException {
    public EncodedRtcException(String message) {
        super(message);
    }

    public EncodedRtcException(String message, Throwable cause) {
        super(message, cause);
    }
}
