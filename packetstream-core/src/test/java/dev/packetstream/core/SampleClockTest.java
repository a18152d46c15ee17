package dev.packetstream.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.packetstream.core.media.SampleClock;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SampleClockTest {
    private static final int RATE = 48_000;
    private static final int CHUNK = 480; // 10 ms

    @Test
    void chunksThatArriveOnTimeAreStampedBackToBackWithoutSlew() {
        SampleClock clock = new SampleClock();
        long start = 1_000_000;
        for (int i = 0; i < 1000; i++) {
            assertThat(clock.stamp(CHUNK, RATE, start + i * 10_000L)).isEqualTo(start + i * 10_000L);
        }
        assertThat(clock.slewUs()).isZero();
        assertThat(clock.resyncs()).isZero();
    }

    @Test
    void aSourceThatDeliversTooFewSamplesIsFollowedOnTheClockWithoutJitter() {
        // 480 samples every 10.06 ms (the source runs 0.6% slow), each pull woken 0..8 ms late
        SampleClock clock = new SampleClock();
        Random random = new Random(7);
        long previous = Long.MIN_VALUE;
        long worst = 0;
        for (int i = 0; i < 3000; i++) { // 30 s
            long due = 5_000_000 + Math.round(i * 10_060.0);
            long ts = clock.stamp(CHUNK, RATE, due + random.nextInt(8_000));
            if (previous != Long.MIN_VALUE) {
                assertThat(ts - previous).as("step %d", i).isBetween(10_000L - 500, 10_000L + 500 + 1);
            }
            previous = ts;
            if (i > 200) {
                worst = Math.max(worst, Math.abs(ts - due));
            }
        }
        assertThat(worst).as("largest distance from the clock after 2 s (µs)").isLessThan(5_000);
        assertThat(clock.slewUs()).as("net slew over 30 s: 0.6% of 30 s").isCloseTo(180_000L, within(10_000L));
    }

    @Test
    void aSourceThatDeliversTooManySamplesIsSlowedBackOntoTheClock() {
        SampleClock clock = new SampleClock();
        long worst = 0;
        for (int i = 0; i < 2000; i++) {
            long due = Math.round(i * 9_900.0); // 1% fast
            long ts = clock.stamp(CHUNK, RATE, due);
            if (i > 200) {
                worst = Math.max(worst, Math.abs(ts - due));
            }
        }
        assertThat(worst).isLessThan(6_000);
        assertThat(clock.slewUs()).isNegative();
    }

    @Test
    void aPauseLongerThanHalfASecondRestartsFromTheArrivalTime() {
        SampleClock clock = new SampleClock();
        for (int i = 0; i < 100; i++) {
            clock.stamp(CHUNK, RATE, i * 10_000L);
        }
        long afterPause = 100 * 10_000L + 2_000_000;
        long ts = 0;
        for (int i = 0; i < WINDOW_AND_ONE; i++) {
            ts = clock.stamp(CHUNK, RATE, afterPause + i * 10_000L);
        }
        assertThat(clock.resyncs()).isEqualTo(1);
        assertThat(ts).isEqualTo(afterPause + (WINDOW_AND_ONE - 1) * 10_000L);
    }

    private static final int WINDOW_AND_ONE = 21;
}
