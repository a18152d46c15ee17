package dev.packetstream.core;

/** A stage of a stream failed: carries the stream's and the stage's names, and the cause. */
public final class StageException extends PacketStreamException {
    private static final long serialVersionUID = 1L;

    private final String stream;
    private final String stage;

    public StageException(String stream, String stage, Throwable cause) {
        super("stage '" + stage + "' of stream '" + stream + "' failed: " + cause, cause);
        this.stream = stream;
        this.stage = stage;
    }

    /** The stream's name. */
    public String stream() {
        return stream;
    }

    /** The failing stage's name. */
    public String stage() {
        return stage;
    }
}
