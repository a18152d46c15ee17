package dev.packetstream.av;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.packetstream.core.AttachOption;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.StreamState;
import dev.packetstream.core.media.AudioCodec;
import dev.packetstream.core.media.EncodedAudioPacket;
import dev.packetstream.core.media.RawAudioFrame;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AudioRoundTripTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = AudioCodec.class, names = {"OPUS", "AAC"})
    void a44100HzMonoToneIsResampledRechunkedEncodedAndDecodedBackToTheSameLengthAndPitch(AudioCodec codec) throws Exception {
        List<long[]> packets = new CopyOnWriteArrayList<>(); // pts, samples, rate, channels
        AtomicLong decodedSamples = new AtomicLong();
        AtomicLong crossings = new AtomicLong();
        AtomicLong lastSign = new AtomicLong();
        AudioEncoderSettings settings = AudioEncoderSettings.builder(codec).build();
        try (PacketStream stream = new PacketStream("audio-" + codec);
             AudioPacketEncoder encoder = new AudioPacketEncoder(settings);
             AudioDecoder decoder = new AudioDecoder()) {
            stream.attachSource(MediaCapture.testPattern().size(160, 120).audioFormat(44_100, 1).toneHz(1000)
                    .pacing(Pacing.AS_FAST_AS_POSSIBLE).duration(Duration.ofSeconds(2)).build(), AttachOption.SYNC_STATE,
                    AttachOption.CLOSE_WITH_STREAM);
            stream.attach(encoder, 10);
            stream.attach(new Probes.Tap("packets", p -> {
                if (p instanceof EncodedAudioPacket e) {
                    packets.add(new long[] {e.ptsUs(), e.samples(), e.sampleRate(), e.channels()});
                }
            }), 15);
            stream.attach(decoder, 20);
            stream.addSink("pcm", p -> {
                if (p instanceof RawAudioFrame f) {
                    assertThat(f.sampleRate()).isEqualTo(48_000);
                    assertThat(f.channels()).isEqualTo(2);
                    for (int i = 0; i < f.samples(); i++) {
                        long sign = f.sample(i, 0) >= 0 ? 1 : -1;
                        if (sign != lastSign.getAndSet(sign)) {
                            crossings.incrementAndGet();
                        }
                    }
                    decodedSamples.addAndGet(f.samples());
                }
            });
            stream.start();
            assertThat(stream.awaitState(StreamState.STOPPED, Duration.ofSeconds(30))).isTrue();
            assertThat(stream.error()).isNull();
        }
        int frameSize = codec == AudioCodec.OPUS ? 960 : 1024;
        assertThat(packets).isNotEmpty();
        assertThat(packets.subList(0, packets.size() - 1)).allSatisfy(p -> {
            assertThat(p[1]).isEqualTo(frameSize);
            assertThat(p[2]).isEqualTo(48_000);
            assertThat(p[3]).isEqualTo(2);
        });
        for (int i = 1; i < packets.size(); i++) {
            assertThat(packets.get(i)[0] - packets.get(i - 1)[0]).isCloseTo(frameSize * 1_000_000L / 48_000, within(2L));
        }
        double seconds = decodedSamples.get() / 48_000.0;
        assertThat(seconds).as("decoded length").isCloseTo(2.0, within(0.1));
        double hz = crossings.get() / 2.0 / seconds;
        assertThat(hz).as("decoded pitch").isCloseTo(1000.0, within(30.0));
    }
}
