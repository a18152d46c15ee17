package dev.packetstream.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.packetstream.core.AttachOption;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.media.RawAudioFrame;
import org.junit.jupiter.api.Test;

/** A tone sent as PCM through one session is heard at the other at the same frequency. */
class AudioToneTest {

    @Test
    void a440HzToneSentAsAudioArrivesWithinFiveHertz() throws Exception {
        try (Loopback link = new Loopback("tone");
             PacketStream out = new PacketStream("tone-out");
             PacketStream in = new PacketStream("tone-in")) {
            WebRtcTrackSender sender = link.a.newSender("mic").audio(true).build();
            WebRtcTrackReceiver receiver = link.b.newReceiver("speaker", MediaKind.AUDIO);
            TestMedia.PcmRecorder heard = new TestMedia.PcmRecorder(48_000 * 2);
            in.attachSource(receiver, AttachOption.SYNC_STATE);
            in.addSink("record", p -> {
                if (p instanceof RawAudioFrame f) {
                    heard.add(f);
                }
            });
            out.attach(sender, 10);
            in.start();
            out.start();
            link.connect();

            TestMedia.Tone tone = new TestMedia.Tone(440);
            Pacer.run("tone", 300, 10_000, n -> out.write(tone.next10ms()));

            short[] last = heard.last(48_000);
            double f = TestMedia.dominantFrequency(last, last.length, heard.rate(), 300, 800);
            System.out.printf("received %d samples at %d Hz; dominant %.1f Hz; peak %d; sender sent %d frames; "
                            + "queue dropped %d, skipped %d, underruns %d%n", heard.written(), heard.rate(), f,
                    heard.peak(48_000), sender.audioFramesSent(), link.rtcA.droppedAudioSamples(),
                    link.rtcA.skippedAudioSamples(), link.rtcA.audioUnderruns());
            assertThat(heard.peak(48_000)).as("received audio is not silence").isGreaterThan(2000);
            assertThat(f).isCloseTo(440, org.assertj.core.data.Offset.offset(5.0));
        }
    }
}
