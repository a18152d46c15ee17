package dev.packetstream.av;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.packetstream.core.AttachOption;
import dev.packetstream.core.Packet;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.PacketStreamAdapter;
import dev.packetstream.core.Retention;
import dev.packetstream.core.media.EncodedAudioPacket;
import dev.packetstream.core.media.RawAudioFrame;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the recorder places audio on the file's timeline (see {@link AudioTimeline}). */
class RecorderAudioTimingTest {
    private static final int RATE = 48_000;
    private static final int CHUNK = 480;
    private static final int CHUNKS = 1000; // 10 s

    @TempDir
    Path dir;

    @Test
    void rawAudioThatDeliversFewerSamplesThanItsTimestampsSpanIsStretchedOntoThem() throws Exception {
        // 10 ms of samples every 10.05 ms of timestamps: a source 0.5% slow, like a headless audio module
        AudioTimingStats t = recordRaw("slow.mkv", i -> Math.round(i * 10_050.0));
        assertThat(t.stretched()).as("%s", t).isCloseTo(2_400L, within(600L));
        assertThat(t.squeezed() + t.silenceInserted() + t.droppedSamples()).isZero();
        assertThat(Ffprobe.probe(dir.resolve("slow.mkv")).duration()).isCloseTo(10.05, within(0.015));
    }

    @Test
    void rawAudioThatDeliversMoreSamplesThanItsTimestampsSpanIsSqueezedOntoThem() throws Exception {
        AudioTimingStats t = recordRaw("fast.mkv", i -> Math.round(i * 9_950.0));
        assertThat(t.squeezed()).as("%s", t).isCloseTo(2_400L, within(600L));
        assertThat(t.stretched() + t.silenceInserted() + t.droppedSamples()).isZero();
        assertThat(Ffprobe.probe(dir.resolve("fast.mkv")).duration()).isCloseTo(9.95, within(0.015));
    }

    @Test
    void aHundredMillisecondGapInRawAudioBecomesSilenceThatIsCounted() throws Exception {
        AudioTimingStats t = recordRaw("gap.mkv", i -> i * 10_000L + (i >= 500 ? 100_000 : 0));
        assertThat(t.silenceInserted()).as("%s", t).isEqualTo(4_800);
        assertThat(t.droppedSamples()).isZero();
        assertThat(Ffprobe.probe(dir.resolve("gap.mkv")).duration()).isCloseTo(10.1, within(0.015));
    }

    @Test
    void rawAudioThatOverlapsWhatWasWrittenLosesTheOverlapAndCountsIt() throws Exception {
        AudioTimingStats t = recordRaw("overlap.mkv", i -> i * 10_000L - (i >= 500 ? 100_000 : 0));
        // whole frames are dropped while the overlap exceeds 20 ms, the rest is squeezed away
        assertThat(t.droppedSamples() + t.squeezed()).as("%s", t).isEqualTo(4_800);
        assertThat(t.droppedSamples()).isGreaterThanOrEqualTo(3_840);
        assertThat(t.silenceInserted()).isZero();
        assertThat(Ffprobe.probe(dir.resolve("overlap.mkv")).duration()).isCloseTo(9.9, within(0.015));
    }

    @Test
    void encodedAudioWithAMissingPacketKeepsTheGapAndAnOverlappingPacketIsDropped() throws Exception {
        List<EncodedAudioPacket> opus = new ArrayList<>();
        try (AudioPacketEncoder encoder = new AudioPacketEncoder(AudioEncoderSettings.builder(dev.packetstream.core.media.AudioCodec.OPUS).build());
             PacketStream s = new PacketStream("encode")) {
            s.attachSource(new Frames(i -> i * 10_000L), AttachOption.SYNC_STATE);
            s.attach(encoder, 10);
            s.addSink("keep", p -> {
                if (p instanceof EncodedAudioPacket e) {
                    opus.add(e.copy());
                }
            });
            s.start();
            s.stop();
        }
        List<Packet> input = new ArrayList<>(opus);
        EncodedAudioPacket twin = opus.get(100).copy();
        input.remove(200);                 // lost: 20 ms gap
        input.add(101, twin);              // the same packet again: wholly overlapping
        MultiplexPacketEncoder recorder = MultiplexPacketEncoder.builder(dir.resolve("encoded.mkv")).withoutVideo().build();
        try (PacketStream s = new PacketStream("mux")) {
            s.attachSource(new Replay(input), AttachOption.SYNC_STATE);
            s.attach(recorder, 10, AttachOption.CLOSE_WITH_STREAM);
            s.start();
            s.stop();
        }
        AudioTimingStats t = recorder.audioTiming();
        assertThat(t.gapSamples()).as("%s", t).isEqualTo(960);
        assertThat(t.droppedPackets()).isEqualTo(1);
        assertThat(recorder.audioPacketsWritten()).isEqualTo(opus.size() - 1);
    }

    private AudioTimingStats recordRaw(String name, LongUnaryOperator timestampOf) throws Exception {
        MultiplexPacketEncoder recorder = MultiplexPacketEncoder.builder(dir.resolve(name)).withoutVideo().build();
        try (PacketStream s = new PacketStream("raw-" + name)) {
            s.attachSource(new Frames(timestampOf), AttachOption.SYNC_STATE);
            s.attach(recorder, 10, AttachOption.CLOSE_WITH_STREAM);
            s.start();
            s.stop();
        }
        return recorder.audioTiming();
    }

    /** Emits 10 s of a 440 Hz tone in 10 ms mono frames on start, with the given timestamps. */
    private static final class Frames extends PacketStreamAdapter implements dev.packetstream.core.Startable {
        private final LongUnaryOperator timestampOf;

        Frames(LongUnaryOperator timestampOf) {
            super("frames", Retention.BORROWED);
            this.timestampOf = timestampOf;
        }

        @Override
        public void start() {
            short[] pcm = new short[CHUNK];
            for (int i = 0; i < CHUNKS; i++) {
                for (int k = 0; k < CHUNK; k++) {
                    pcm[k] = (short) (8000 * Math.sin(2 * Math.PI * 440 * (i * CHUNK + k) / RATE));
                }
                emit(RawAudioFrame.copyOf(pcm, RATE, 1, CHUNK, timestampOf.applyAsLong(i)));
            }
        }

        @Override
        public void stop() {
        }
    }

    /** Emits the given packets on start. */
    private static final class Replay extends PacketStreamAdapter implements dev.packetstream.core.Startable {
        private final List<Packet> packets;

        Replay(List<Packet> packets) {
            super("replay", Retention.BORROWED);
            this.packets = packets;
        }

        @Override
        public void start() {
            packets.forEach(this::emit);
        }

        @Override
        public void stop() {
        }
    }
}
