package dev.packetstream.core;

/**
 * Padding around counters that one thread writes on every packet, so that two threads counting on
 * either side of a queue do not share a cache line (false sharing costs a cache miss a packet).
 * Fields of a superclass are laid out first, so the classes below sandwich their subclasses'
 * first fields: {@code PadLeft}'s 56 bytes, the hot fields ({@link Hot}), {@code PadRight}'s.
 */
final class CounterPadding {
    private CounterPadding() {
    }

    abstract static class PadLeft {
        long p01, p02, p03, p04, p05, p06, p07;
    }

    /** The counters one stage writes on its hot path. */
    abstract static class Hot extends PadLeft {
        /** Processors and sinks: packets handed in. Sources: packets written. The stream: packets written or at the emitter. */
        long in;
        /** Processors: packets passed by. */
        long passedBy;
    }

    abstract static class PadRight extends Hot {
        long q01, q02, q03, q04, q05, q06, q07;
    }
}
