package dev.packetstream.av;

/**
 * A capture input could not be opened or read: a missing or busy camera, a missing, unreadable or
 * truncated file. {@link #input()} names the input; the message says the cause and what to do.
 */
public final class MediaInputException extends AvException {
    private static final long serialVersionUID = 1L;

    /** Why an input failed. */
    public enum Reason {
        /** The camera device or the file does not exist. */
        NOT_FOUND,
        /** The camera is in use by another process. */
        BUSY,
        /** No permission to open the input. */
        PERMISSION_DENIED,
        /** The input exists but FFmpeg cannot read it (not media, truncated, unknown format). */
        UNREADABLE
    }

    private final String input;
    private final Reason reason;

    public MediaInputException(String input, Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.input = input;
        this.reason = reason;
    }

    /** The input as the caller named it (device path, device name, file or URL). */
    public String input() {
        return input;
    }

    /** The kind of failure. */
    public Reason reason() {
        return reason;
    }
}
