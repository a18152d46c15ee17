package dev.packetstream.samples.wire;

/**
 * The 48-bit SRTP packet index of one SSRC's packets (RFC 3711 3.3.1 and Appendix A): the rollover
 * counter guessed from the 16-bit sequence number and the highest one seen. Not thread-safe.
 */
final class SrtpIndex {
    private long roc;
    private int highest = -1;

    /** The index of the packet with sequence number {@code seq}, without updating the state. */
    long estimate(int seq) {
        if (highest < 0) {
            return seq;
        }
        long v;
        if (highest < 32768) {
            v = seq - highest > 32768 ? roc - 1 : roc;
        } else {
            v = highest - 32768 > seq ? roc + 1 : roc;
        }
        return (v << 16) | seq;
    }

    /** Takes the packet of {@code index} (from {@link #estimate}) as received. */
    void update(long index) {
        long v = index >>> 16;
        int seq = (int) (index & 0xffff);
        if (highest < 0) {
            roc = v;
            highest = seq;
        } else if (v == roc + 1) {
            roc = v;
            highest = seq;
        } else if (v == roc && seq > highest) {
            highest = seq;
        }
    }

    /** Forgets the stream (a new SSRC). */
    void reset() {
        roc = 0;
        highest = -1;
    }

    static long rolloverCounter(long index) {
        return index >>> 16;
    }
}
