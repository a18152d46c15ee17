package dev.packetstream.samples.common;

/** A failure a user can fix (busy port, no camera, unreadable file); the message says how. */
public final class SampleException extends RuntimeException {
    public SampleException(String message) {
        super(message);
    }

    public SampleException(String message, Throwable cause) {
        super(message, cause);
    }
}
