package dev.packetstream.webrtc;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.awaitility.core.ConditionTimeoutException;

/** Awaitility polling for tests that wait for media in flight, then assert on what arrived. */
final class Polling {
    private Polling() {
    }

    /**
     * Polls {@code condition} every {@code interval} until it holds or {@code atMost} has passed,
     * without failing: the caller's assertions then say what was short.
     */
    static void awaitUpTo(Duration atMost, Duration interval, BooleanSupplier condition) {
        try {
            await().atMost(atMost).pollDelay(Duration.ZERO).pollInterval(interval).until(condition::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            // the caller asserts on the state reached
        }
    }
}
