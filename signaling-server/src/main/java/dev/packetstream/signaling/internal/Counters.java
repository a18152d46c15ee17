package dev.packetstream.signaling.internal;

import dev.packetstream.signaling.ErrorCode;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's counters. Every rejection goes through {@link #rejected(ErrorCode)}, so the figures
 * account for each message that did not reach its recipient.
 *
 * <h2>Threads</h2>
 * Updated from any Jetty thread without locks; reads are not atomic across counters.
 */
public final class Counters {
    public final AtomicInteger connections = new AtomicInteger();
    public final LongAdder received = new LongAdder();
    public final LongAdder relayed = new LongAdder();
    private final Map<ErrorCode, LongAdder> rejected = new EnumMap<>(ErrorCode.class);

    public Counters() {
        for (ErrorCode code : ErrorCode.values()) {
            rejected.put(code, new LongAdder());
        }
    }

    public void rejected(ErrorCode reason) {
        rejected.get(reason).increment();
    }

    public Map<ErrorCode, Long> rejectedSnapshot() {
        Map<ErrorCode, Long> copy = new EnumMap<>(ErrorCode.class);
        rejected.forEach((code, adder) -> copy.put(code, adder.sum()));
        return copy;
    }
}
