package dev.packetstream.benchmarks;

import dev.packetstream.core.AsyncPacketQueue;
import dev.packetstream.core.OverflowPolicy;
import dev.packetstream.core.Packet;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.RawPacket;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A thread hop with its copy: producers write a borrowed 256-byte packet into a stream whose first
 * stage is a blocking {@link AsyncPacketQueue} (it copies the packet, a worker delivers it to a
 * counting sink). Blocking makes the producers' rate the delivered rate. Beside it, the same
 * hand-off through {@link ArrayBlockingQueue}: the producer copies the packet and puts it, a
 * consumer thread takes and counts.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AsyncHopBenchmark {
    static final int CAPACITY = 1024;

    @State(Scope.Benchmark)
    public static class Hop {
        final AtomicLong delivered = new AtomicLong();
        PacketStream stream;

        @Setup(Level.Trial)
        public void setUp() {
            stream = new PacketStream("hop");
            stream.attach(new AsyncPacketQueue("q", CAPACITY, OverflowPolicy.BLOCK), 0);
            stream.addSink("count", p -> delivered.lazySet(delivered.get() + 1));
            stream.start();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            stream.close();
        }
    }

    @State(Scope.Benchmark)
    public static class Abq {
        final ArrayBlockingQueue<Packet> queue = new ArrayBlockingQueue<>(CAPACITY);
        volatile boolean running = true;
        long delivered;
        Thread consumer;

        @Setup(Level.Trial)
        public void setUp() {
            consumer = new Thread(() -> {
                while (running) {
                    try {
                        Packet p = queue.poll(10, TimeUnit.MILLISECONDS);
                        if (p != null) {
                            delivered++;
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "abq-consumer");
            consumer.setDaemon(true);
            consumer.start();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            running = false;
            queue.clear();
            consumer.join(1000);
        }
    }

    @State(Scope.Thread)
    public static class Producer {
        final RawPacket packet = RawPacket.borrow(new byte[256]);
    }

    @Benchmark
    @Threads(1)
    public void asyncQueue1Producer(Hop hop, Producer p) {
        hop.stream.write(p.packet);
    }

    @Benchmark
    @Threads(4)
    public void asyncQueue4Producers(Hop hop, Producer p) {
        hop.stream.write(p.packet);
    }

    @Benchmark
    @Threads(1)
    public void arrayBlockingQueue1Producer(Abq abq, Producer p) throws InterruptedException {
        abq.queue.put(p.packet.copy());
    }

    @Benchmark
    @Threads(4)
    public void arrayBlockingQueue4Producers(Abq abq, Producer p) throws InterruptedException {
        abq.queue.put(p.packet.copy());
    }
}
