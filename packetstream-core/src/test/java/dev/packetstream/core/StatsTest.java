package dev.packetstream.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void perStageStatsCountInOutPassedByDroppedErrorsAndQueueDepthAndDescribeShowsThem() throws Exception {
        CountDownLatch busy = new CountDownLatch(1);
        try (SingleThreadEventLoop loop = new SingleThreadEventLoop("stats-loop");
             PacketStream s = new PacketStream("stats")) {
            loop.execute(() -> {
                try {
                    busy.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            TestPackets.ManualSource src = new TestPackets.ManualSource("camera");
            s.attachSource(src);
            s.attach(new PacketProcessor("evenOnly") {
                @Override
                public boolean accepts(Packet p) {
                    return ((RawPacket) p).get(0) % 2 == 0;
                }

                @Override
                public void process(Packet p) {
                    emit(p);
                    emit(p);
                }
            }, 1);
            s.attach(new SyncPacketQueue("to-loop", loop, 4), 2);
            s.addSink("out", p -> { });
            s.start();
            for (int i = 0; i < 10; i++) {
                src.push(RawPacket.borrow(new byte[] {(byte) i}));
            }
            StreamStats st = s.stats();
            assertThat(st.written()).isEqualTo(10);
            assertThat(st.stage("camera").out()).isEqualTo(10);
            StageStats even = st.stage("evenOnly");
            assertThat(even.in()).isEqualTo(5);
            assertThat(even.passedBy()).isEqualTo(5);
            assertThat(even.out()).isEqualTo(10);
            StageStats q = st.stage("to-loop");
            assertThat(q.in()).isEqualTo(15);
            assertThat(q.queueDepth()).isEqualTo(4);
            assertThat(q.dropped()).isEqualTo(11);
            String d = s.describe();
            assertThat(d).contains("PacketStream 'stats' ACTIVE").contains("'camera'").contains("'evenOnly'")
                    .contains("passedBy=5").contains("'to-loop'").contains("dropped=11 depth=4").contains("'out'");
            busy.countDown();
            s.stop();
            StreamStats after = s.stats();
            assertThat(after.stage("out").in()).isEqualTo(4);
            assertThat(after.emitted()).isEqualTo(4);
        }
    }
}
