package dev.packetstream.core;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream's own drops (writes while it is not active, late packets after close) and the discard
 * listeners that see every drop of the stream and its stages.
 */
final class StreamDiscards {
    private static final Logger log = LoggerFactory.getLogger(PacketStream.class);

    private final String streamName;
    /** INACTIVE (written while not active) and CLOSED (late: writes after close, a queue's late output). */
    private final Discards own = new Discards();
    /** Of the CLOSED ones, those that reached the emitter (a queue's late output). */
    private final Discards lateAtEmitter = new Discards();
    private final List<DiscardListener> listeners = new CopyOnWriteArrayList<>();

    StreamDiscards(String streamName) {
        this.streamName = streamName;
    }

    void addListener(DiscardListener l) {
        listeners.add(l);
    }

    /** A write while the stream was not active ({@code closed}: after close). */
    void rejected(Packet packet, boolean closed) {
        DiscardReason reason = closed ? DiscardReason.CLOSED : DiscardReason.INACTIVE;
        own.count(reason);
        report(streamName, packet, reason);
    }

    /** A packet reached the emitter after close or failure. */
    void lateAtEmitter(Packet packet) {
        own.count(DiscardReason.CLOSED);
        lateAtEmitter.count(DiscardReason.CLOSED);
        report(streamName, packet, DiscardReason.CLOSED);
    }

    /** Tells the listeners (a stage's discard, or the stream's own). */
    void report(String stage, Packet packet, DiscardReason reason) {
        for (DiscardListener l : listeners) {
            try {
                l.onDiscard(stage, packet, reason);
            } catch (RuntimeException e) {
                log.warn("discard listener of stream '{}' threw", streamName, e);
            }
        }
    }

    long inactive() {
        return own.get(DiscardReason.INACTIVE);
    }

    long late() {
        return own.get(DiscardReason.CLOSED);
    }

    long lateAtEmitter() {
        return lateAtEmitter.get(DiscardReason.CLOSED);
    }

    Map<DiscardReason, Long> byReason() {
        return own.snapshot();
    }
}
