package dev.packetstream.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.packetstream.core.PacketStream;
import dev.packetstream.core.media.RawVideoFrame;
import dev.packetstream.samples.detect.FrameSampler;
import dev.packetstream.samples.detect.MotionDetector;
import dev.packetstream.samples.detect.MotionEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DetectBranchStagesTest {

    private static RawVideoFrame gray(int w, int h, long ts) {
        RawVideoFrame f = RawVideoFrame.allocate(w, h, ts);
        for (int i = 0; i < w * h; i++) {
            f.dataY().put(i, (byte) 100);
        }
        return f;
    }

    private static void paint(RawVideoFrame f, int x0, int y0, int size, int luma) {
        for (int y = y0; y < y0 + size; y++) {
            for (int x = x0; x < x0 + size; x++) {
                f.dataY().put(y * f.strideY() + x, (byte) luma);
            }
        }
    }

    @Test
    void theDetectorReportsTheBoxAroundWhatChangedAndNothingForAStillPicture() {
        List<MotionEvent> events = new ArrayList<>();
        try (PacketStream s = new PacketStream("detect-unit")) {
            s.attach(new MotionDetector("motion", 0.001, Duration.ZERO), 10);
            s.addSink("events", p -> events.add((MotionEvent) p));
            s.start();
            s.write(gray(320, 240, 0));
            s.write(gray(320, 240, 33_000));
            assertThat(events).as("a still picture").isEmpty();
            RawVideoFrame moved = gray(320, 240, 66_000);
            paint(moved, 160, 80, 32, 230);
            s.write(moved);
        }
        assertThat(events).hasSize(1);
        Map<String, Object> e = events.get(0).toEvent();
        assertThat(e).containsEntry("type", "motion").containsEntry("normalized", true);
        @SuppressWarnings("unchecked")
        Map<String, Object> box = ((List<Map<String, Object>>) e.get("boxes")).get(0);
        assertThat((double) box.get("x")).isEqualTo(160.0 / 320);
        assertThat((double) box.get("y")).isEqualTo(80.0 / 240);
        assertThat((double) box.get("w")).isEqualTo(32.0 / 320);
        assertThat((double) box.get("h")).isEqualTo(32.0 / 240);
    }

    @Test
    void theSamplerPassesEveryNthFrameAndCountsTheRest() {
        List<Long> passed = new ArrayList<>();
        FrameSampler sampler = new FrameSampler("every-3", 3);
        try (PacketStream s = new PacketStream("sampler-unit")) {
            s.attach(sampler, 0);
            s.addSink("out", p -> passed.add(((RawVideoFrame) p).timestampUs()));
            s.start();
            for (int i = 0; i < 9; i++) {
                s.write(gray(32, 32, i));
            }
        }
        assertThat(passed).containsExactly(0L, 3L, 6L);
        assertThat(sampler.skipped()).isEqualTo(6);
    }
}
