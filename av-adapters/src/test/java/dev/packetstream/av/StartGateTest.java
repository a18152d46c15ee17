package dev.packetstream.av;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.packetstream.core.Packet;
import dev.packetstream.core.media.AudioCodec;
import dev.packetstream.core.media.EncodedAudioPacket;
import dev.packetstream.core.media.EncodedVideoPacket;
import dev.packetstream.core.media.VideoCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The recorder's start gate, without FFmpeg: which packets may start the file, and when. */
class StartGateTest {
    private static EncodedVideoPacket video(long us, boolean key) {
        return EncodedVideoPacket.own(VideoCodec.VP8, new byte[] {1, 2, 3}, key, us, us, 640, 480, null);
    }

    private static EncodedAudioPacket audio(long us) {
        return EncodedAudioPacket.own(AudioCodec.OPUS, new byte[] {4, 5}, us, 48_000, 2, 960, null);
    }

    private static List<Long> times(List<Packet> packets) {
        return packets.stream().map(StartGate::ts).toList();
    }

    @Test
    void videoBeforeTheFirstKeyframeIsRefusedAndNotHeld() {
        StartGate gate = new StartGate(true, true);

        assertThat(gate.hold(video(0, false))).isFalse();
        assertThat(gate.hold(video(33_000, false))).isFalse();

        assertThat(gate.awaitsVideo()).isTrue();
        assertThat(gate.ready(true)).as("nothing held, nothing to start with").isFalse();
        assertThat(gate.drain()).isEmpty();
    }

    @Test
    void theFileStartsOnceTheKeyframeAndTheFirstAudioHaveArrived() {
        StartGate gate = new StartGate(true, true);
        gate.hold(audio(10_000));
        assertThat(gate.ready(false)).as("video still missing").isFalse();
        assertThat(gate.missingTrack()).isEqualTo("video");

        assertThat(gate.hold(video(50_000, true))).isTrue();
        assertThat(gate.hold(video(83_000, false))).as("delta frames after the keyframe are held").isTrue();

        assertThat(gate.ready(false)).isTrue();
        assertThat(gate.missingTrack()).isNull();
        assertThat(gate.videoTemplate().ptsUs()).isEqualTo(50_000);
        assertThat(gate.audioTemplate().ptsUs()).isEqualTo(10_000);
    }

    @Test
    void startReturnsTheHeldPacketsInTimestampOrderWithTheKeyframeAsTimeZero() {
        StartGate gate = new StartGate(true, true);
        gate.hold(video(40_000, true));
        gate.hold(video(73_000, false));
        gate.hold(audio(20_000));
        gate.hold(audio(60_000));

        List<Packet> start = gate.start();

        assertThat(times(start)).containsExactly(20_000L, 40_000L, 60_000L, 73_000L);
        assertThat(gate.startUs()).isEqualTo(40_000);
        assertThat(gate.isOpen()).isTrue();
        assertThat(gate.drain()).as("the gate hands its packets over once").isEmpty();
    }

    @Test
    void aTrackThatDoesNotShowUpWithinThreeSecondsOfMediaIsLeftOut() {
        StartGate gate = new StartGate(true, true);
        gate.hold(video(0, true));
        for (long us = 33_000; us < StartGate.MISSING_TRACK_WAIT_US; us += 33_000) {
            gate.hold(video(us, false));
            assertThat(gate.ready(false)).as("waiting for audio at %d us", us).isFalse();
        }
        gate.hold(video(StartGate.MISSING_TRACK_WAIT_US, false));

        assertThat(gate.ready(false)).isTrue();
        assertThat(gate.missingTrack()).isEqualTo("audio");
        assertThat(gate.start()).hasSize((int) (StartGate.MISSING_TRACK_WAIT_US / 33_000) + 2);
    }

    @Test
    void withoutVideoTheFirstAudioPacketStartsTheFileAtItsTimestamp() {
        StartGate gate = new StartGate(false, true);
        gate.hold(audio(7_000));

        assertThat(gate.ready(false)).isTrue();
        gate.start();
        assertThat(gate.startUs()).isEqualTo(7_000);
    }

    @Test
    void aStopStartsTheFileWithWhatArrivedButNotWithNothing() {
        StartGate gate = new StartGate(true, true);
        assertThat(gate.ready(true)).isFalse();
        gate.hold(video(0, true));

        assertThat(gate.ready(false)).isFalse();
        assertThat(gate.ready(true)).isTrue();
    }

    @Test
    void heldPacketsAreCopiesAndDrainHandsThemBack() {
        StartGate gate = new StartGate(true, true);
        EncodedVideoPacket key = video(0, true);
        gate.hold(key);
        gate.hold(audio(0));

        List<Packet> held = gate.drain();

        assertThat(held).hasSize(2).doesNotContain(key);
        gate.reset();
        assertThat(gate.awaitsVideo()).isTrue();
        assertThat(gate.awaitsAudio()).isTrue();
    }

    @Test
    void anOpenGateRefusesToHoldMore() {
        StartGate gate = new StartGate(false, true);
        gate.hold(audio(0));
        gate.start();

        assertThatThrownBy(() -> gate.hold(audio(20_000)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has started");
    }
}
