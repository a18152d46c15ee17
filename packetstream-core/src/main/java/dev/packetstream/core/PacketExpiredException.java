package dev.packetstream.core;

/**
 * Thrown in checked mode when a stage touches a packet after the synchronous call that lent it
 * to that stage has returned. The message names the stage that kept the packet and says how to
 * keep it legally.
 */
public final class PacketExpiredException extends PacketStreamException {
    private static final long serialVersionUID = 1L;

    private final String stage;

    PacketExpiredException(String stage, String message) {
        super(message);
        this.stage = stage;
    }

    /** The name of the stage that was lent the packet and kept it past its call. */
    public String stage() {
        return stage;
    }
}
