package dev.packetstream.av;

/**
 * The root of what av-adapters throws: a codec that cannot open or fails
 * ({@link CodecException}), a capture input that cannot be opened or read
 * ({@link MediaInputException}), a recording that cannot be written ({@link RecordingException}).
 * Each message names the stage or input at fault and says what to do.
 */
public abstract sealed class AvException extends RuntimeException
        permits CodecException, MediaInputException, RecordingException {
    private static final long serialVersionUID = 1L;

    AvException(String message, Throwable cause) {
        super(message, cause);
    }
}
