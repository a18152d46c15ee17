package dev.packetstream.av;

import static org.assertj.core.api.Assertions.assertThat;

import dev.packetstream.core.AttachOption;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.StreamState;
import dev.packetstream.core.media.EncodedVideoPacket;
import dev.packetstream.core.media.VideoCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Makes media for tests with the code under test. */
final class TestFiles {
    private TestFiles() {
    }

    /** Records the 320x240 test pattern with audio, as fast as possible, to {@code file} (container by extension). */
    static Path record(Path file, Duration length) throws InterruptedException {
        try (PacketStream stream = new PacketStream("make-" + file.getFileName());
             MultiplexPacketEncoder recorder = MultiplexPacketEncoder.builder(file).build()) {
            stream.attachSource(MediaCapture.testPattern().size(320, 240).pacing(Pacing.AS_FAST_AS_POSSIBLE).duration(length).build(),
                    AttachOption.SYNC_STATE, AttachOption.CLOSE_WITH_STREAM);
            stream.attach(recorder, 10);
            stream.start();
            assertThat(stream.awaitState(StreamState.STOPPED, Duration.ofSeconds(30))).isTrue();
            assertThat(stream.error()).isNull();
        }
        return file;
    }

    /** Encodes {@code frames} frames of the 320x240 test pattern; returns owned copies of the packets. */
    static List<EncodedVideoPacket> encode(VideoCodec codec, int frames) {
        List<EncodedVideoPacket> out = new ArrayList<>();
        try (PacketStream stream = new PacketStream("encode-" + codec);
             VideoPacketEncoder encoder = new VideoPacketEncoder(VideoEncoderSettings.builder(codec).build())) {
            stream.attachSource(MediaCapture.testPattern().size(320, 240).audio(false).pacing(Pacing.AS_FAST_AS_POSSIBLE)
                    .duration(Duration.ofMillis(frames * 1000L / 30)).build(), AttachOption.SYNC_STATE, AttachOption.CLOSE_WITH_STREAM);
            stream.attach(encoder, 10);
            stream.addSink("keep", p -> {
                if (p instanceof EncodedVideoPacket e) {
                    out.add(e.copy());
                }
            });
            stream.start();
            assertThat(stream.awaitState(StreamState.STOPPED, Duration.ofSeconds(30))).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return out;
    }
}
