package dev.packetstream.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.packetstream.core.AttachOption;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.media.RawAudioFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Audio both ways in one peer connection, through the headless module's pull path: A sends
 * 440 Hz, B sends 660 Hz, for 60 s, with a renegotiation (an ICE restart) in the middle.
 */
class AudioBothWaysTest {
    static final int SECONDS = 60;

    @Test
    void differentTonesEachWayFor60SecondsSurviveARenegotiationAndArriveAtTheirFrequencies() throws Exception {
        try (Loopback link = new Loopback("duplex");
             PacketStream aOut = new PacketStream("a-out");
             PacketStream bOut = new PacketStream("b-out");
             PacketStream aIn = new PacketStream("a-in");
             PacketStream bIn = new PacketStream("b-in")) {
            aOut.attach(link.a.newSender("a-mic").audio(true).build(), 10);
            bOut.attach(link.b.newSender("b-mic").audio(true).build(), 10);
            TestMedia.PcmRecorder aHeard = record(aIn, link.a.newReceiver("a-speaker", MediaKind.AUDIO));
            TestMedia.PcmRecorder bHeard = record(bIn, link.b.newReceiver("b-speaker", MediaKind.AUDIO));
            for (PacketStream s : List.of(aOut, bOut, aIn, bIn)) {
                s.start();
            }
            link.connect();

            TestMedia.Tone a440 = new TestMedia.Tone(440);
            TestMedia.Tone b660 = new TestMedia.Tone(660);
            List<String> measurements = new ArrayList<>();
            List<double[]> checks = new ArrayList<>();
            int ticks = SECONDS * 100;
            Pacer.run("duplex", ticks, 10_000, n -> {
                aOut.write(a440.next10ms());
                bOut.write(b660.next10ms());
                if (n == ticks / 2) {
                    // renegotiate in the middle, from the event thread of nobody: fire and check below
                    link.a.restartIce().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> {
                        measurements.add("renegotiation failed: " + e);
                        return null;
                    });
                }
                if (n == ticks / 2 - 200 || n == ticks / 2 + 500 || n == ticks - 1) {
                    double atB = measure(bHeard);
                    double atA = measure(aHeard);
                    checks.add(new double[] {atB, atA});
                    measurements.add(String.format("t=%ds: B hears %.1f Hz (peak %d), A hears %.1f Hz (peak %d)",
                            n / 100, atB, bHeard.peak(48_000), atA, aHeard.peak(48_000)));
                }
            });
            measurements.forEach(System.out::println);
            System.out.printf("A queue: dropped %d skipped %d underruns %d; B queue: dropped %d skipped %d underruns %d%n",
                    link.rtcA.droppedAudioSamples(), link.rtcA.skippedAudioSamples(), link.rtcA.audioUnderruns(),
                    link.rtcB.droppedAudioSamples(), link.rtcB.skippedAudioSamples(), link.rtcB.audioUnderruns());

            assertThat(measurements).noneMatch(m -> m.startsWith("renegotiation failed"));
            assertThat(checks).hasSize(3);
            for (double[] c : checks) {
                assertThat(c[0]).as("B hears A's 440 Hz").isCloseTo(440, Offset.offset(5.0));
                assertThat(c[1]).as("A hears B's 660 Hz").isCloseTo(660, Offset.offset(5.0));
            }
            assertThat(link.a.state()).isEqualTo(ConnectionState.CONNECTED);
        }
    }

    private static TestMedia.PcmRecorder record(PacketStream in, WebRtcTrackReceiver receiver) {
        TestMedia.PcmRecorder r = new TestMedia.PcmRecorder(48_000 * 2);
        in.attachSource(receiver, AttachOption.SYNC_STATE);
        in.addSink("record", p -> {
            if (p instanceof RawAudioFrame f) {
                r.add(f);
            }
        });
        return r;
    }

    private static double measure(TestMedia.PcmRecorder r) {
        short[] last = r.last(24_000);
        if (last.length < 24_000 || r.peak(24_000) < 2000) {
            return 0; // silence: fails the check
        }
        return TestMedia.dominantFrequency(last, last.length, r.rate(), 300, 900);
    }
}
