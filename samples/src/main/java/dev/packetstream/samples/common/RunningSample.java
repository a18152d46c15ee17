package dev.packetstream.samples.common;

import java.util.concurrent.CompletableFuture;

/**
 * A started sample: it describes itself in one status line and closes in order (recordings
 * finalized, sessions and the native runtime closed, the server stopped).
 */
public interface RunningSample extends AutoCloseable {
    /** The live status, one line without line break (frames/s, bitrate, viewers, files). */
    String statusLine();

    /** Completes when the sample ends by itself (e.g. its input file ended); by default never. */
    default CompletableFuture<Void> finished() {
        return new CompletableFuture<>();
    }

    /** Closes everything the sample started. Idempotent; may be called from a shutdown hook. */
    @Override
    void close();
}
