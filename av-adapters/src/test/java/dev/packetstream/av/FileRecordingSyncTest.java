package dev.packetstream.av;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.packetstream.av.testing.AvSync;
import dev.packetstream.av.testing.AvSyncMarkers;
import dev.packetstream.core.AttachOption;
import dev.packetstream.core.Packet;
import dev.packetstream.core.PacketProcessor;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.StreamState;
import dev.packetstream.core.media.RawAudioFrame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A/V sync of the file → recorder path: a marker clip (a flash and a beep at every whole second)
 * read by {@link MediaCapture} and recorded by {@link MultiplexPacketEncoder}; Debian's ffprobe
 * reads the flashes and beeps back from the recording's own timestamps ({@link AvSyncMarkers}).
 */
class FileRecordingSyncTest {
    static final int SECONDS = 12;
    static final double TOLERANCE_MS = 40;

    @TempDir
    static Path dir;
    static Path clip;
    static AvSync source;

    @BeforeAll
    static void clip() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ffprobe")),
                "Debian's ffmpeg/ffprobe are missing: apt-get install ffmpeg");
        clip = AvSyncMarkers.clipMkv(dir, 320, 240, 30, SECONDS);
        source = AvSyncMarkers.measure(clip);
        assertThat(source.pairs()).as("pairs in the clip itself").hasSize(SECONDS);
    }

    @Test
    void aRecordedMarkerClipKeepsEveryBeepWithItsFlash() throws Exception {
        MultiplexPacketEncoder recorder = record(dir.resolve("plain.webm"), 0);
        AvSync recorded = AvSyncMarkers.measure(recorder.path());
        System.out.println("clip     " + source.describe() + "\nrecorded " + recorded.describe() + " " + recorder.audioTiming());
        assertInSync(recorded);
        assertThat(recorder.audioTiming().corrected()).as("nothing to correct in a file's audio: %s", recorder.audioTiming()).isFalse();
    }

    @Test
    void audioChunksLostBeforeTheRecorderLeaveSilenceInsteadOfPullingTheRestEarly() throws Exception {
        // every 10th audio frame is lost on the way (as a full queue would drop it): about 10% of the audio
        MultiplexPacketEncoder recorder = record(dir.resolve("lossy.webm"), 10);
        AvSync recorded = AvSyncMarkers.measure(recorder.path());
        System.out.println("clip     " + source.describe() + "\nrecorded " + recorded.describe() + " " + recorder.audioTiming());
        assertInSync(recorded);
        assertThat(recorder.audioTiming().silenceInserted() + recorder.audioTiming().stretched())
                .as("the lost audio is made up for, and counted: %s", recorder.audioTiming())
                .isCloseTo(SECONDS * 48_000 / 10, within(SECONDS * 48_000 / 40L));
    }

    private void assertInSync(AvSync recorded) {
        assertThat(recorded.pairs()).as("flash/beep pairs in the recording").hasSizeGreaterThanOrEqualTo(SECONDS - 1);
        double expected = source.medianOffsetMs();
        for (AvSync.Pair p : recorded.pairs()) {
            assertThat(p.offsetMs()).as("offset of the beep at %.2f s, the clip's is %.0f ms", p.audioSeconds(), expected)
                    .isCloseTo(expected, within(TOLERANCE_MS));
        }
        assertThat(recorded.trendMs()).as("last pair's offset minus the first's").isCloseTo(0, within(TOLERANCE_MS));
    }

    /** Records the clip as fast as it decodes, losing every {@code loseEvery}-th audio frame (0: none). */
    private static MultiplexPacketEncoder record(Path file, int loseEvery) throws Exception {
        MultiplexPacketEncoder recorder = MultiplexPacketEncoder.builder(file).name("file").build();
        try (PacketStream stream = new PacketStream("sync-" + file.getFileName())) {
            stream.attachSource(MediaCapture.file(clip).pacing(Pacing.AS_FAST_AS_POSSIBLE).build(),
                    AttachOption.SYNC_STATE, AttachOption.CLOSE_WITH_STREAM);
            if (loseEvery > 0) {
                stream.attach(new LoseAudio(loseEvery), 5);
            }
            stream.attach(recorder, 10, AttachOption.CLOSE_WITH_STREAM);
            stream.start();
            assertThat(stream.awaitState(StreamState.STOPPED, Duration.ofSeconds(60))).as("the stream stops at FINAL").isTrue();
            assertThat(stream.error()).isNull();
        }
        return recorder;
    }

    /** Passes everything on except every n-th audio frame. */
    private static final class LoseAudio extends PacketProcessor {
        private final int every;
        private long audio;

        LoseAudio(int every) {
            super("lose-audio");
            this.every = every;
        }

        @Override
        public void process(Packet packet) {
            if (packet instanceof RawAudioFrame && ++audio % every == 0) {
                return;
            }
            emit(packet);
        }
    }
}
