package dev.packetstream.benchmarks;

import dev.packetstream.core.Packet;
import dev.packetstream.core.PacketProcessor;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.RawPacket;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Synchronous passthrough, as icey's packetstreambench measures it: the same borrowed 256-byte
 * packet reused every iteration, processors that only re-emit, a sink that counts. Beside it, a
 * plain direct method-call chain doing the same work: the floor.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class PassthroughBenchmark {

    /** A processor that only re-emits. */
    static final class Reemit extends PacketProcessor {
        Reemit(String name) {
            super(name);
        }

        @Override
        public void process(Packet packet) {
            emit(packet);
        }
    }

    /** The floor: a hand-written chain of objects calling the next one directly. */
    interface Next {
        void accept(Packet p);
    }

    static final class DirectStage implements Next {
        private final Next next;

        DirectStage(Next next) {
            this.next = next;
        }

        @Override
        public void accept(Packet p) {
            next.accept(p);
        }
    }

    static final class CountingSink implements Next {
        long count;

        @Override
        public void accept(Packet p) {
            count++;
        }
    }

    private final RawPacket packet = RawPacket.borrow(new byte[256]);
    private PacketStream stream0;
    private PacketStream stream1;
    private PacketStream stream3;
    private long sunk;
    private Next direct0;
    private Next direct1;
    private Next direct3;

    @Setup(Level.Trial)
    public void setUp() {
        stream0 = stream("p0", 0);
        stream1 = stream("p1", 1);
        stream3 = stream("p3", 3);
        CountingSink sink = new CountingSink();
        direct0 = sink;
        direct1 = new DirectStage(sink);
        direct3 = new DirectStage(new DirectStage(new DirectStage(sink)));
    }

    private PacketStream stream(String name, int processors) {
        PacketStream s = new PacketStream(name);
        for (int i = 0; i < processors; i++) {
            s.attach(new Reemit("reemit" + i), i);
        }
        s.addSink("count", p -> sunk++);
        s.start();
        return s;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        stream0.close();
        stream1.close();
        stream3.close();
    }

    @Benchmark
    public void streamPassthrough() {
        stream0.write(packet);
    }

    @Benchmark
    public void stream1Processor() {
        stream1.write(packet);
    }

    @Benchmark
    public void stream3Processors() {
        stream3.write(packet);
    }

    @Benchmark
    public void directPassthrough() {
        direct0.accept(packet);
    }

    @Benchmark
    public void direct1Processor() {
        direct1.accept(packet);
    }

    @Benchmark
    public void direct3Processors() {
        direct3.accept(packet);
    }
}
