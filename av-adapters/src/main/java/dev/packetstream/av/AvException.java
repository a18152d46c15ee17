package dev.packetstream.av;

/**
 * The root of av-adapters' exceptions: an input that cannot be opened or read
 * ({@link MediaInputException}), a codec that cannot be opened or fails ({@link CodecException}),
 * a recording that cannot be written ({@link RecordingException}). Raised inside a stream, they
 * reach its error listeners as the cause of a {@code StageException} naming the stage.
 */
public abstract sealed class AvException extends RuntimeException
        permits MediaInputException, CodecException, RecordingException {
    private static final long serialVersionUID = 1L;

    AvException(String message) {
        super(message);
    }

    AvException(String message, Throwable cause) {
        super(message, cause);
    }
}
