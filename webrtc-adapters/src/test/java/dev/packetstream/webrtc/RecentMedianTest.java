package dev.packetstream.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RecentMedianTest {
    @Test
    void theMedianIgnoresASingleJitteredValueAndForgetsValuesOlderThanItsWindow() {
        RecentMedian m = new RecentMedian(3);
        assertThat(m.median()).as("empty").isZero();
        m.add(80);
        m.add(-40); // one pull that came late
        m.add(82);
        assertThat(m.median()).isEqualTo(80);
        m.add(90);
        m.add(91); // 80 and -40 are out of the window now
        assertThat(m.median()).isEqualTo(90);
    }

    @Test
    void aWindowOfNoValuesIsRefusedSayingWhy() {
        assertThatThrownBy(() -> new RecentMedian(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    }
}
