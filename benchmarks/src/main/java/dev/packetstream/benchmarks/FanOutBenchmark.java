package dev.packetstream.benchmarks;

import dev.packetstream.core.BranchGroup;
import dev.packetstream.core.Packet;
import dev.packetstream.core.PacketSink;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.RawPacket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Live fan-out to N synchronous branches: the core's {@link BranchGroup} (per-branch counters,
 * error isolation, branches that come and go) beside the hand-written loop it replaced in the
 * samples (a sink over a copy-on-write list, a try/catch per branch). Same borrowed 256-byte
 * packet, branches that count.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main FanOutBenchmark -jvmArgsAppend -Dpacketstream.checked=false
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class FanOutBenchmark {
    @Param({"1", "4", "16"})
    int branches;

    private final RawPacket packet = RawPacket.borrow(new byte[256]);
    private final long[] counts = new long[16];
    private PacketStream grouped;
    private PacketStream looped;

    /** The loop the samples' viewer room had before the branch group. */
    static final class LoopFanOut implements PacketSink {
        final List<PacketSink> links = new CopyOnWriteArrayList<>();
        long errors;

        @Override
        public void accept(Packet p) {
            for (PacketSink l : links) {
                try {
                    l.accept(p);
                } catch (RuntimeException e) {
                    errors++;
                }
            }
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        BranchGroup group = new BranchGroup("viewers");
        grouped = new PacketStream("grouped");
        grouped.attach(group, 0);
        LoopFanOut loop = new LoopFanOut();
        looped = new PacketStream("looped");
        looped.addSink("viewers", loop);
        for (int i = 0; i < branches; i++) {
            int n = i;
            group.add("b" + i, p -> counts[n]++);
            loop.links.add(p -> counts[n]++);
        }
        grouped.start();
        looped.start();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        grouped.close();
        looped.close();
    }

    @Benchmark
    public void branchGroup() {
        grouped.write(packet);
    }

    @Benchmark
    public void handWrittenLoop() {
        looped.write(packet);
    }
}
