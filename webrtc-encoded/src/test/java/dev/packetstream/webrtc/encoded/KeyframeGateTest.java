package dev.packetstream.webrtc.encoded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.packetstream.core.DiscardReason;
import dev.packetstream.webrtc.encoded.EncodedTrackSender.KeyframeReason;
import org.junit.jupiter.api.Test;

class KeyframeGateTest {

    @Test
    void videoStartsOnAKeyframeAndAsksForOne() {
        KeyframeGate gate = new KeyframeGate(10);
        KeyframeGate.Decision d = gate.admit(0, false);
        assertThat(d.drop()).isEqualTo(DiscardReason.WAITING_FOR_KEYFRAME);
        assertThat(d.request()).isEqualTo(KeyframeReason.WAITING_FOR_KEYFRAME);
        assertThat(gate.admit(0, false).request()).as("at most one request per interval").isNull();
        assertThat(gate.admit(0, true).push()).isTrue();
        assertThat(gate.admit(1, false).push()).isTrue();
    }

    @Test
    void aFullQueueDropsToTheNextKeyframeAndAsksOnlyOnceThereIsRoom() throws Exception {
        KeyframeGate gate = new KeyframeGate(10);
        assertThat(gate.admit(0, true).push()).isTrue();
        KeyframeGate.Decision full = gate.admit(10, false);
        assertThat(full.drop()).isEqualTo(DiscardReason.OVERFLOW);
        assertThat(full.request()).isNull();
        assertThat(gate.admit(10, true).drop()).as("even a keyframe waits while the queue is full").isEqualTo(DiscardReason.OVERFLOW);
        KeyframeGate.Decision stillBusy = gate.admit(7, false);
        assertThat(stillBusy.drop()).isEqualTo(DiscardReason.WAITING_FOR_KEYFRAME);
        assertThat(stillBusy.request()).as("no request while the queue is over half full").isNull();
        KeyframeGate.Decision room = gate.admit(2, false);
        assertThat(room.drop()).isEqualTo(DiscardReason.WAITING_FOR_KEYFRAME);
        assertThat(room.request()).isEqualTo(KeyframeReason.QUEUE_OVERFLOW);
        assertThat(gate.admit(2, true).push()).isTrue();
        assertThat(gate.admit(3, false).push()).isTrue();
    }

    @Test
    void aRestartWaitsForTheNextKeyframe() {
        KeyframeGate gate = new KeyframeGate(10);
        assertThat(gate.admit(0, true).push()).isTrue();
        gate.restart();
        assertThat(gate.admit(0, false).drop()).isEqualTo(DiscardReason.WAITING_FOR_KEYFRAME);
        assertThat(gate.admit(0, true).push()).isTrue();
    }
}
