package dev.packetstream.av;

import java.nio.file.Path;

/**
 * A recording could not be written: an unwritable path, a full disk, a container that cannot
 * carry a codec. {@link #path()} names the output file. What was written before the failure stays
 * in the file (MKV, WebM and fragmented MP4 are readable without a trailer).
 */
public final class RecordingException extends AvException {
    private static final long serialVersionUID = 1L;

    private final Path path;

    public RecordingException(Path path, String message) {
        super(message, null);
        this.path = path;
    }

    /** The output file. */
    public Path path() {
        return path;
    }
}
