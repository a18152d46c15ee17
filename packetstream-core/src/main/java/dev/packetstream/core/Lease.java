package dev.packetstream.core;

/**
 * Checked mode only: the loan of one packet view to one stage for one synchronous call.
 * Written by the lending thread, read by whichever thread touches the view later, hence volatile.
 */
final class Lease {
    final String stream;
    final String stage;
    final Retention retention;
    private volatile boolean expired;
    private volatile boolean retained;

    Lease(String stream, String stage, Retention retention) {
        this.stream = stream;
        this.stage = stage;
        this.retention = retention;
    }

    void expire() {
        if (!retained) {
            expired = true;
        }
    }

    boolean expired() {
        return expired;
    }

    void markRetained() {
        retained = true;
    }

    void markReleased() {
        retained = false;
    }

    PacketExpiredException expiredError(Packet view) {
        String kind = view.isRefCounted() ? "reference-counted" : "borrowed";
        String keep = view.isRefCounted()
                ? "call retain() inside the call (and release() when done; declare Retention.RETAINED)"
                : "call copy() inside the call (and declare Retention.CLONED)";
        return new PacketExpiredException(stage, "stage '" + stage + "' of stream '" + stream
                + "' kept a " + kind + " packet (" + view.describeForError()
                + ") past the synchronous call that lent it, and touched it afterwards. To keep a packet, "
                + keep + ", or put an AsyncPacketQueue or SyncPacketQueue before '" + stage + "'.");
    }
}
