package dev.packetstream.av;

/** How fast a {@link MediaCapture} reads a file or the test pattern. Cameras always run in real time. */
public enum Pacing {
    /** One second of media per second of wall clock, by the source's timestamps. */
    REALTIME,
    /** As fast as decoding allows (transcoding, tests, benchmarks). */
    AS_FAST_AS_POSSIBLE
}
