package dev.packetstream.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The graph of one {@link PacketStream}: its sources, processors (ascending order) and sinks, how
 * they are wired at start, and their figures. Changed only under the stream's lifecycle lock,
 * while the stream allows it ({@link StreamState#allowsTopologyChange()}); the stream checks that.
 */
final class StreamTopology {
    private final String streamName;
    private final List<SourceEntry> sources = new ArrayList<>();
    /** Copy-on-write: queue threads read it (am I a delivery thread?) while stop or close run. */
    private final List<ProcessorEntry> processors = new CopyOnWriteArrayList<>();
    private final List<SinkEntry> sinks = new ArrayList<>();
    /** Numbers generated sink names; only grows, so a removed sink's name is not handed out again. */
    private int unnamedSinks;

    StreamTopology(String streamName) {
        this.streamName = streamName;
    }

    /** The options of a source, checked: SYNC_STATE needs a {@link Startable}, CLOSE_WITH_STREAM an AutoCloseable. */
    static Set<AttachOption> sourceOptions(PacketStreamAdapter source, AttachOption[] options) {
        Set<AttachOption> opts = options(options);
        if (opts.contains(AttachOption.SYNC_STATE) && !(source instanceof Startable)) {
            throw new IllegalArgumentException("source '" + source.name() + "' cannot be attached with SYNC_STATE: "
                    + source.getClass().getName() + " does not implement Startable");
        }
        checkCloseable(source, opts);
        return opts;
    }

    /** The options of a processor, checked: no SYNC_STATE, CLOSE_WITH_STREAM needs an AutoCloseable. */
    static Set<AttachOption> processorOptions(PacketProcessor processor, AttachOption[] options) {
        Set<AttachOption> opts = options(options);
        if (opts.contains(AttachOption.SYNC_STATE)) {
            throw new IllegalArgumentException("SYNC_STATE applies to sources, not to processor '" + processor.name() + "'");
        }
        checkCloseable(processor, opts);
        return opts;
    }

    private static Set<AttachOption> options(AttachOption[] options) {
        return options.length == 0 ? EnumSet.noneOf(AttachOption.class) : EnumSet.copyOf(Arrays.asList(options));
    }

    private static void checkCloseable(PacketStreamAdapter a, Set<AttachOption> opts) {
        if (opts.contains(AttachOption.CLOSE_WITH_STREAM) && !(a instanceof AutoCloseable)) {
            throw new IllegalArgumentException("'" + a.name() + "' cannot be attached with CLOSE_WITH_STREAM: "
                    + a.getClass().getName() + " is not AutoCloseable");
        }
    }

    List<SourceEntry> sources() {
        return sources;
    }

    List<ProcessorEntry> processors() {
        return processors;
    }

    SourceEntry addSource(PacketStreamAdapter source, Set<AttachOption> opts, PacketSink input) {
        SourceEntry entry = new SourceEntry(source, opts, input);
        sources.add(entry);
        return entry;
    }

    void addProcessor(ProcessorEntry entry) {
        for (ProcessorEntry e : processors) {
            if (e.processor == entry.processor) {
                throw new IllegalArgumentException("processor '" + entry.processor.name()
                        + "' is already attached to stream '" + streamName + "'");
            }
        }
        int i = 0;
        while (i < processors.size() && processors.get(i).order <= entry.order) {
            i++;
        }
        processors.add(i, entry);
    }

    /** Removes a source or processor; true when it was attached. */
    boolean remove(PacketStreamAdapter adapter) {
        return sources.removeIf(e -> e.source == adapter) | processors.removeIf(e -> e.processor == adapter);
    }

    /** A sink name not taken yet: {@code sink-<n>}, n counting every unnamed sink ever added. */
    String nextSinkName() {
        String candidate;
        do {
            candidate = "sink-" + unnamedSinks++;
        } while (hasSink(candidate));
        return candidate;
    }

    void addSink(String sinkName, PacketSink sink, Retention retention) {
        if (hasSink(sinkName)) {
            throw new IllegalArgumentException("stream '" + streamName + "' already has a sink named '" + sinkName + "'");
        }
        sinks.add(new SinkEntry(sinkName, sink, retention));
    }

    private boolean hasSink(String sinkName) {
        for (SinkEntry e : sinks) {
            if (e.name.equals(sinkName)) {
                return true;
            }
        }
        return false;
    }

    boolean removeSink(String sinkName) {
        return sinks.removeIf(s -> s.name.equals(sinkName));
    }

    /**
     * Links the processors to each other and the last one to an {@link Emitter} over the sinks,
     * connects the sources to their inputs, and returns the first stage.
     */
    PacketSink wire(PacketStream stream) {
        PacketSink next = new Emitter(stream, sinks.toArray(new SinkEntry[0]));
        for (int i = processors.size() - 1; i >= 0; i--) {
            ProcessorEntry e = processors.get(i);
            e.stage.wire(next);
            next = e.stage;
        }
        for (SourceEntry e : sources) {
            e.source.connect(e.input);
        }
        return next;
    }

    /** Whether the calling thread is one of this stream's queue threads. */
    boolean onDeliveryThread() {
        for (ProcessorEntry e : processors) {
            if (e.processor.isDeliveryThread()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Every stage's figures, in graph order. A processor's output is not counted on the hot path:
     * whatever it emits enters the next stage (counted there as in or passedBy), minus what merely
     * passed it by; the last one's output is what reached the emitter.
     */
    List<StageStats> stageStats(long atEmitter) {
        List<StageStats> stages = new ArrayList<>();
        for (SourceEntry e : sources) {
            PacketStreamAdapter a = e.source;
            stages.add(new StageStats(a.name(), StageKind.SOURCE, 0, a.retention(), 0, e.counters.in, 0,
                    a.discardedCount(), e.counters.errors, 0, a.discards().snapshot()));
        }
        for (int i = 0; i < processors.size(); i++) {
            ProcessorEntry e = processors.get(i);
            PacketProcessor p = e.processor;
            long reachedNext = i + 1 < processors.size()
                    ? processors.get(i + 1).stage.in + processors.get(i + 1).stage.passedBy
                    : atEmitter;
            long emittedByStage = Math.max(0, reachedNext - e.stage.passedBy);
            stages.add(new StageStats(p.name(), StageKind.PROCESSOR, e.order, p.retention(), e.stage.in, emittedByStage,
                    e.stage.passedBy, p.discardedCount(), e.stage.errors, p.queueDepth(), p.discards().snapshot()));
            stages.addAll(p.subStageStats(e.order));
        }
        for (SinkEntry e : sinks) {
            stages.add(new StageStats(e.name, StageKind.SINK, 0, e.retention, e.counters.in, 0, 0, 0,
                    e.counters.errors, 0, Map.of()));
        }
        return stages;
    }

    static final class SourceEntry {
        final PacketStreamAdapter source;
        final boolean syncState;
        final boolean closeWithStream;
        final StageCounters counters;
        final PacketSink input;

        SourceEntry(PacketStreamAdapter source, Set<AttachOption> opts, PacketSink input) {
            this.source = source;
            this.syncState = opts.contains(AttachOption.SYNC_STATE);
            this.closeWithStream = opts.contains(AttachOption.CLOSE_WITH_STREAM);
            this.counters = new StageCounters();
            StageCounters c = counters;
            this.input = p -> {
                c.in++;
                input.accept(p);
            };
        }
    }

    static final class ProcessorEntry {
        final PacketProcessor processor;
        final ProcessorStage stage;
        final int order;
        final boolean closeWithStream;

        ProcessorEntry(PacketProcessor processor, ProcessorStage stage, int order, boolean closeWithStream) {
            this.processor = processor;
            this.stage = stage;
            this.order = order;
            this.closeWithStream = closeWithStream;
        }
    }

    static final class SinkEntry {
        final String name;
        final PacketSink sink;
        final Retention retention;
        final StageCounters counters = new StageCounters();

        SinkEntry(String name, PacketSink sink, Retention retention) {
            this.name = name;
            this.sink = sink;
            this.retention = retention;
        }
    }
}
