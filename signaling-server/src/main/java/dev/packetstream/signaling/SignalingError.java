package dev.packetstream.signaling;

/**
 * An {@code error} message from the server.
 *
 * @param code    the wire code, e.g. {@code "unknown-peer"}; see {@link #errorCode()}
 * @param message what was wrong and what to do
 * @param ref     the type of the message that was refused, or null
 * @param mid     the message id of the refused message (as the client sent it), or null
 */
public record SignalingError(String code, String message, String ref, String mid) {
    /** The code as an enum; {@link ErrorCode#INTERNAL} for a code this client does not know. */
    public ErrorCode errorCode() {
        try {
            return ErrorCode.fromWire(code);
        } catch (IllegalArgumentException e) {
            return ErrorCode.INTERNAL;
        }
    }

    @Override
    public String toString() {
        return code + ": " + message + (ref == null ? "" : " (in reply to " + ref + (mid == null ? "" : " " + mid) + ")");
    }
}
