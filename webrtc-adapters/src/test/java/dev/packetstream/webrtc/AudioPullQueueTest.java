package dev.packetstream.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.packetstream.core.media.RawAudioFrame;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The audio queue between senders and the headless module's 10 ms pulls (no libwebrtc needed). */
class AudioPullQueueTest {

    private static short[] pull(AudioPullQueue q) {
        byte[] buf = new byte[960];
        assertThat(q.onPlaybackData(buf, 480, 2, 1, 48_000)).isEqualTo(480);
        short[] out = new short[480];
        ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(out);
        return out;
    }

    private static RawAudioFrame ramp(int start, int samples, int rate, int channels) {
        short[] pcm = new short[samples * channels];
        for (int i = 0; i < samples; i++) {
            for (int c = 0; c < channels; c++) {
                pcm[i * channels + c] = (short) (start + i);
            }
        }
        return RawAudioFrame.copyOf(pcm, rate, channels, samples, 0);
    }

    @Test
    void framesOfAnySizeComeOutAs10MsChunksInOrderAfterPriming() {
        AudioPullQueue q = new AudioPullQueue();
        int written = 0;
        while (written < 48_000 / 20) { // 50 ms in odd-sized frames (under the high-water mark)
            q.write(ramp(written, 333, 48_000, 1));
            written += 333;
        }
        short[] first = pull(q);
        short[] second = pull(q);
        assertThat(first[0]).isEqualTo((short) 0);
        assertThat(first[479]).isEqualTo((short) 479);
        assertThat(second[0]).isEqualTo((short) 480);
    }

    @Test
    void stereoIsMixedDownToMono() {
        AudioPullQueue q = new AudioPullQueue();
        short[] pcm = new short[2 * 4800];
        for (int i = 0; i < 4800; i++) {
            pcm[2 * i] = 1000;
            pcm[2 * i + 1] = 3000;
        }
        q.write(RawAudioFrame.copyOf(pcm, 48_000, 2, 4800, 0));
        assertThat(pull(q)[100]).isEqualTo((short) 2000);
    }

    @Test
    void aToneAt44100HzKeepsItsFrequencyWhenResampledTo48000() {
        AudioPullQueue q = new AudioPullQueue();
        int n = 44_100 / 2;
        short[] pcm = new short[n];
        for (int i = 0; i < n; i++) {
            pcm[i] = (short) (Math.sin(2 * Math.PI * 440 * i / 44_100.0) * 10_000);
        }
        for (int off = 0; off < n; off += 441) {
            short[] chunk = java.util.Arrays.copyOfRange(pcm, off, off + 441);
            q.write(RawAudioFrame.copyOf(chunk, 44_100, 1, 441, 0));
        }
        short[] out = new short[48_000 * 4 / 10];
        for (int k = 0; k < out.length / 480; k++) {
            System.arraycopy(pull(q), 0, out, k * 480, 480);
        }
        assertThat(TestMedia.dominantFrequency(out, out.length, 48_000, 400, 480)).isCloseTo(440, Offset.offset(2.0));
    }

    @Test
    void anUnderrunPlaysSilenceAndIsCounted() {
        AudioPullQueue q = new AudioPullQueue();
        q.write(ramp(1, 480 * 4, 48_000, 1));
        pull(q);
        pull(q);
        pull(q);
        short[] partial = pull(q);
        assertThat(q.underruns()).isZero();
        short[] empty = pull(q);
        assertThat(q.underruns()).isEqualTo(1);
        assertThat(empty).containsOnly((short) 0);
        assertThat(partial[479]).isNotZero();
    }

    @Test
    void aWriterAheadOfTheModuleClockIsPulledBackBySkippingSamples() {
        AudioPullQueue q = new AudioPullQueue();
        q.write(ramp(0, 48_000 * AudioPullQueue.HIGH_WATER_MS / 1000 + 4800, 48_000, 1));
        int before = q.queuedMillis();
        for (int i = 0; i < 50; i++) {
            pull(q);
            q.write(ramp(0, 480, 48_000, 1));
        }
        assertThat(q.skippedSamples()).isGreaterThan(0);
        assertThat(q.queuedMillis()).isLessThan(before);
    }

    @Test
    void whenNothingPullsTheQueueIsBoundedAndCountsWhatItDrops() {
        AudioPullQueue q = new AudioPullQueue();
        for (int i = 0; i < 100; i++) {
            q.write(ramp(0, 4800, 48_000, 1)); // 10 s, never pulled
        }
        assertThat(q.queuedMillis()).isEqualTo(AudioPullQueue.CAPACITY_MS);
        assertThat(q.droppedSamples()).isEqualTo(100L * 4800 - 48_000L * AudioPullQueue.CAPACITY_MS / 1000);
    }
}
