package dev.packetstream.av;

import static org.assertj.core.api.Assertions.assertThat;

import dev.packetstream.core.DiscardListener;
import dev.packetstream.core.DiscardReason;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.media.AudioCodec;
import dev.packetstream.core.media.EncodedAudioPacket;
import dev.packetstream.core.media.EncodedVideoPacket;
import dev.packetstream.core.media.RawVideoFrame;
import dev.packetstream.core.media.VideoCodec;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The media stages drop through the core's discard: exactly what, where and why. */
class DiscardTest {
    @TempDir
    Path dir;

    /** What a discard listener saw: stage, the packet's timestamp, reason. */
    record Seen(String stage, long timestampUs, DiscardReason reason) {
    }

    private static DiscardListener into(List<Seen> seen) {
        return (stage, p, reason) -> seen.add(new Seen(stage,
                p instanceof EncodedVideoPacket v ? v.ptsUs() : p instanceof RawVideoFrame f ? f.timestampUs() : -1, reason));
    }

    @Test
    void aDecoderDiscardsPacketsBeforeTheFirstKeyframeAsWaitingForKeyframe() {
        List<EncodedVideoPacket> packets = TestFiles.encode(VideoCodec.VP8, 6);
        List<Seen> seen = new CopyOnWriteArrayList<>();
        try (PacketStream stream = new PacketStream("late-joiner"); VideoDecoder decoder = new VideoDecoder("decoder")) {
            stream.attach(decoder, 10);
            stream.addDiscardListener(into(seen));
            stream.start();
            stream.write(packets.get(1));
            stream.write(packets.get(2));
            for (EncodedVideoPacket p : packets) {
                stream.write(p);
            }
            stream.stop();
            assertThat(seen).containsExactly(new Seen("decoder", packets.get(1).ptsUs(), DiscardReason.WAITING_FOR_KEYFRAME),
                    new Seen("decoder", packets.get(2).ptsUs(), DiscardReason.WAITING_FOR_KEYFRAME));
            assertThat(decoder.skippedWaitingForKeyframe()).isEqualTo(2);
            assertThat(stream.stats().stage("decoder").discarded(DiscardReason.WAITING_FOR_KEYFRAME)).isEqualTo(2);
            assertThat(stream.describe()).contains("waiting-for-keyframe=2");
        }
    }

    @Test
    void anEncoderDiscardsAFrameWhoseTimestampDoesNotIncreaseAsOutOfOrder() {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        try (PacketStream stream = new PacketStream("repeats");
             VideoPacketEncoder encoder = new VideoPacketEncoder("encoder", VideoEncoderSettings.builder(VideoCodec.VP8).build())) {
            stream.attach(encoder, 10);
            stream.addDiscardListener(into(seen));
            stream.start();
            for (long ts : new long[] {0, 33_333, 33_333, 20_000, 66_666}) {
                stream.write(RawVideoFrame.allocate(64, 48, ts));
            }
            stream.stop();
            assertThat(seen).containsExactly(new Seen("encoder", 33_333, DiscardReason.OUT_OF_ORDER),
                    new Seen("encoder", 20_000, DiscardReason.OUT_OF_ORDER));
            assertThat(encoder.droppedNonIncreasing()).isEqualTo(2);
        }
    }

    @Test
    void aRecorderDiscardsVideoBeforeItsFirstKeyframeAndAudioItWasToldToLeaveOut() throws Exception {
        List<EncodedVideoPacket> packets = TestFiles.encode(VideoCodec.VP8, 6);
        List<Seen> seen = new CopyOnWriteArrayList<>();
        Path file = dir.resolve("late.webm");
        try (PacketStream stream = new PacketStream("record-late");
             MultiplexPacketEncoder recorder = MultiplexPacketEncoder.builder(file).name("recorder").withoutAudio().build()) {
            stream.attach(recorder, 10);
            stream.addDiscardListener(into(seen));
            stream.start();
            stream.write(packets.get(1));
            for (EncodedVideoPacket p : packets) {
                stream.write(p);
            }
            stream.write(EncodedAudioPacket.own(AudioCodec.OPUS, new byte[] {(byte) 0xf8}, 0, 48_000, 2, 960, null));
            stream.stop();
            assertThat(seen).containsExactly(new Seen("recorder", packets.get(1).ptsUs(), DiscardReason.WAITING_FOR_KEYFRAME),
                    new Seen("recorder", -1, DiscardReason.UNSUPPORTED));
            assertThat(recorder.droppedPackets()).isEqualTo(2);
            assertThat(recorder.videoPacketsWritten()).isEqualTo(packets.size());
        }
    }
}
