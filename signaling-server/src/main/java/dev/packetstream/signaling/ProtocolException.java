package dev.packetstream.signaling;

/**
 * A message broke the protocol: it carries the {@link ErrorCode} sent back to the peer and a
 * message that says what was wrong and what to send instead.
 */
public final class ProtocolException extends SignalingException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public ProtocolException(ErrorCode code, String message) {
        super(message, null, null);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
