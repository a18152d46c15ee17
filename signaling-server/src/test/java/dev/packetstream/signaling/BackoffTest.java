package dev.packetstream.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(10), Integer.MAX_VALUE);

    @Test
    void delaysDoubleFromTheInitialOneUpToTheMaximum() {
        assertThat(backoff.delay(1, 0)).isEqualTo(Duration.ofMillis(250));
        assertThat(backoff.delay(2, 0)).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.delay(3, 0)).isEqualTo(Duration.ofMillis(1000));
        assertThat(backoff.delay(7, 0)).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.delay(1000, 0)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void jitterAddsAtMostAFifth() {
        assertThat(backoff.delay(2, 0.999)).isBetween(Duration.ofMillis(500), Duration.ofMillis(600));
        assertThat(backoff.delay(100, 0.999)).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(12));
    }

    @Test
    void anInitialDelayAboveTheMaximumIsRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initial <= max");
    }
}
