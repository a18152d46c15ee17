package dev.packetstream.av;

/**
 * An encoder or decoder could not be opened or failed: the message names the stage, the codec and
 * FFmpeg's reason, and says what to do.
 */
public final class CodecException extends AvException {
    private static final long serialVersionUID = 1L;

    public CodecException(String message) {
        super(message, null);
    }

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
