package dev.packetstream.core;

import static dev.packetstream.core.TestPackets.borrowed;
import static dev.packetstream.core.TestPackets.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.packetstream.core.TestPackets.ManualSource;
import dev.packetstream.core.TestPackets.Tag;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PacketStreamTopologyTest {

    @Test
    void processorsRunInAscendingOrderAndEqualOrdersKeepAttachOrder() {
        StringBuffer log = new StringBuffer();
        try (PacketStream s = new PacketStream("order")) {
            s.attach(new Tag("encode", log), 20);
            s.attach(new Tag("decode", log), 5);
            s.attach(new Tag("transformA", log), 10);
            s.attach(new Tag("transformB", log), 10);
            s.attach(new Tag("queue", log), 0);
            s.start();
            s.write(borrowed("x"));
        }
        assertThat(log.toString().trim()).isEqualTo("queue decode transformA transformB encode");
    }

    @Test
    void everyProcessorIsAskedAndAPacketOneDoesNotAcceptPassesItBy() {
        List<String> asked = new CopyOnWriteArrayList<>();
        List<String> out = new CopyOnWriteArrayList<>();
        class Picky extends PacketProcessor {
            private final String wants;

            Picky(String name, String wants) {
                super(name);
                this.wants = wants;
            }

            @Override
            public boolean accepts(Packet p) {
                asked.add(name());
                return text(p).startsWith(wants);
            }

            @Override
            public void process(Packet p) {
                emit(RawPacket.copyOf((text(p) + "+" + name()).getBytes()));
            }
        }
        try (PacketStream s = new PacketStream("accepts")) {
            s.attach(new Picky("onlyA", "a"), 1);
            s.attach(new Picky("onlyB", "b"), 2);
            s.attach(new Picky("onlyAorAB", "a"), 3);
            s.addSink("out", p -> out.add(text(p)));
            s.start();
            s.write(borrowed("b"));
            s.write(borrowed("a"));
        }
        // the packet "b" is refused by the first processor, taken by the second, refused by the third
        assertThat(asked).containsExactly("onlyA", "onlyB", "onlyAorAB", "onlyA", "onlyB", "onlyAorAB");
        assertThat(out).containsExactly("b+onlyB", "a+onlyA+onlyAorAB");
    }

    @Test
    void sinksReceiveEveryPacketInTheOrderTheyWereAdded() {
        StringBuffer order = new StringBuffer();
        try (PacketStream s = new PacketStream("sinks")) {
            s.addSink("first", p -> order.append("1").append(text(p)));
            s.addSink("second", p -> order.append("2").append(text(p)));
            s.start();
            s.write(borrowed("a"));
            s.write(borrowed("b"));
        }
        assertThat(order.toString()).isEqualTo("1a2a1b2b");
    }

    @Test
    void changingTheTopologyOfAnActiveStreamThrowsAndSaysToStopFirst() {
        try (PacketStream s = new PacketStream("guard")) {
            s.start();
            assertThatThrownBy(() -> s.attach(new Tag("late", new StringBuffer()), 1))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'late'").hasMessageContaining("ACTIVE").hasMessageContaining("stop()");
            assertThatThrownBy(() -> s.addSink("late", p -> { })).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> s.attachSource(new ManualSource("src"))).isInstanceOf(IllegalStateException.class);
            s.pause();
            assertThatThrownBy(() -> s.addSink("paused", p -> { })).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void anUnnamedSinkAddedAfterRemovingAnotherGetsAFreshNameInsteadOfClashing() {
        List<String> out = new CopyOnWriteArrayList<>();
        try (PacketStream s = new PacketStream("renamed")) {
            s.addSink(p -> out.add("first"));
            s.addSink(p -> out.add("second"));
            assertThat(s.removeSink("sink-0")).isTrue();
            s.addSink(p -> out.add("third"));
            s.start();
            s.write(borrowed("x"));
            assertThat(s.stats().stages()).extracting(StageStats::stage).containsExactly("sink-1", "sink-2");
        }
        assertThat(out).containsExactly("second", "third");
    }

    @Test
    void aStoppedStreamIgnoresWritesAndCanBeRewiredAndStartedAgain() {
        List<String> out = new CopyOnWriteArrayList<>();
        StringBuffer log = new StringBuffer();
        ManualSource src = new ManualSource("src");
        try (PacketStream s = new PacketStream("restart")) {
            s.attachSource(src);
            s.addSink("out", p -> out.add(text(p)));
            s.start();
            src.push(borrowed("one"));
            s.stop();
            src.push(borrowed("ignored"));
            assertThat(s.stats().droppedInactive()).isEqualTo(1);

            s.attach(new Tag("added", log), 1);
            s.start();
            src.push(borrowed("two"));
        }
        assertThat(out).containsExactly("one", "two");
        assertThat(log.toString().trim()).isEqualTo("added");
    }

    @Test
    void aDetachedProcessorIsUnwiredAndNoLongerPartOfTheStream() {
        List<String> out = new CopyOnWriteArrayList<>();
        StringBuffer log = new StringBuffer();
        Tag tag = new Tag("detachable", log);
        try (PacketStream s = new PacketStream("detach")) {
            s.attach(tag, 1);
            s.addSink("out", p -> out.add(text(p)));
            s.start();
            s.write(borrowed("a"));
            s.stop();
            assertThat(s.detach(tag)).isTrue();
            assertThat(s.detach(tag)).isFalse();
            s.start();
            s.write(borrowed("b"));
            tag.process(borrowed("from-detached")); // its emitter goes nowhere now
            assertThat(s.describe()).doesNotContain("detachable");
        }
        assertThat(out).containsExactly("a", "b");
        assertThat(log.toString().trim()).isEqualTo("detachable detachable");
        // and it can join another stream
        try (PacketStream other = new PacketStream("other")) {
            other.attach(tag, 0);
        }
    }

    @Test
    void anAdapterCannotBeAttachedToTwoStreamsAtOnce() {
        Tag tag = new Tag("shared", new StringBuffer());
        try (PacketStream a = new PacketStream("a"); PacketStream b = new PacketStream("b")) {
            a.attach(tag, 0);
            assertThatThrownBy(() -> b.attach(tag, 0)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already attached to stream 'a'");
        }
    }

    @Test
    void twoSourceThreadsWithNoProcessorsDeliverExactlyTwoThousandPackets() throws Exception {
        AtomicInteger delivered = new AtomicInteger();
        ManualSource a = new ManualSource("a");
        ManualSource b = new ManualSource("b");
        try (PacketStream s = new PacketStream("two-sources")) {
            s.attachSource(a);
            s.attachSource(b);
            s.addSink("count", p -> delivered.incrementAndGet());
            s.start();
            CountDownLatch go = new CountDownLatch(1);
            Thread ta = new Thread(() -> pushMany(go, a));
            Thread tb = new Thread(() -> pushMany(go, b));
            ta.start();
            tb.start();
            go.countDown();
            ta.join(10_000);
            tb.join(10_000);
        }
        assertThat(delivered).hasValue(2000);
    }

    private static void pushMany(CountDownLatch go, ManualSource src) {
        try {
            go.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] buf = new byte[16];
        for (int i = 0; i < 1000; i++) {
            src.push(RawPacket.borrow(buf));
        }
    }

    @Test
    void aBranchReceivesWhatItsParentEmitsInOrder() {
        List<String> delivery = new CopyOnWriteArrayList<>();
        List<String> detect = new CopyOnWriteArrayList<>();
        try (PacketStream ingress = new PacketStream("ingress");
             PacketStream deliveryBranch = new PacketStream("delivery");
             PacketStream detectBranch = new PacketStream("detect")) {
            deliveryBranch.addSink("out", p -> delivery.add(text(p)));
            detectBranch.addSink("out", p -> detect.add(text(p)));
            ingress.addSink(deliveryBranch);
            ingress.addSink(detectBranch);
            deliveryBranch.start();
            detectBranch.start();
            ingress.start();
            for (int i = 0; i < 100; i++) {
                ingress.write(borrowed("p" + i));
            }
        }
        assertThat(delivery).hasSize(100).isEqualTo(detect);
        assertThat(delivery.get(0)).isEqualTo("p0");
        assertThat(delivery.get(99)).isEqualTo("p99");
    }

    @Test
    void attachingWithOptionsTheAdapterDoesNotSupportFailsClearly() {
        try (PacketStream s = new PacketStream("options")) {
            assertThatThrownBy(() -> s.attachSource(new ManualSource("plain"), AttachOption.SYNC_STATE))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Startable");
            assertThatThrownBy(() -> s.attach(new Tag("t", new StringBuffer()), 0, AttachOption.CLOSE_WITH_STREAM))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AutoCloseable");
        }
    }
}
