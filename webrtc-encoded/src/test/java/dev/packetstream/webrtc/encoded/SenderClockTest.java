package dev.packetstream.webrtc.encoded;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@link SenderClock}'s rule, on the figures a Chromium publisher gave (2 Dec 2026): audio's NTP
 * time minus rtpbin's time 4,005,180,994,051,562 µs·1000, video's 3.8 ms more, the NTP clock
 * starting far from the running time.
 */
class SenderClockTest {
    static final long MS = 1_000_000;
    /** NTP minus running time of the audio stream: a 2026 NTP time (about 4.0e9 s) in nanoseconds. */
    static final long AUDIO_NTP = 4_005_180_994_051_562_000L;
    static final long VIDEO_NTP = AUDIO_NTP + 3_812_000;

    @Test
    void beforeEveryStreamHasASenderReportTheJitterBuffersTimeIsKept() {
        SenderClock clock = new SenderClock("test");
        SenderClock.Stream audio = clock.stream("audio");
        SenderClock.Stream video = clock.stream("video");

        assertThat(audio.stampNs(1_000 * MS, SenderClock.NONE)).isEqualTo(1_000 * MS);
        assertThat(video.stampNs(1_010 * MS, SenderClock.NONE)).isEqualTo(1_010 * MS);
        // audio's report came, video's not yet: audio stays on the jitter buffer's time too
        assertThat(audio.stampNs(2_000 * MS, AUDIO_NTP + 2_000 * MS)).isEqualTo(2_000 * MS);
        assertThat(clock.onSenderClock()).isFalse();
    }

    @Test
    void whenTheLastStreamGetsItsReportBothMoveToTheSendersClockAndNeitherGoesBackwards() {
        SenderClock clock = new SenderClock("test");
        SenderClock.Stream audio = clock.stream("audio");
        SenderClock.Stream video = clock.stream("video");
        audio.stampNs(1_990 * MS, SenderClock.NONE);
        video.stampNs(1_980 * MS, SenderClock.NONE);
        // video's report comes first: it stays on the jitter buffer's time until audio has one too
        assertThat(video.stampNs(2_000 * MS, VIDEO_NTP + 2_000 * MS)).isEqualTo(2_000 * MS);
        long a = audio.stampNs(2_010 * MS, AUDIO_NTP + 2_010 * MS);
        // video's NTP mapping is 3.8 ms later than audio's relative to rtpbin's time: video moves forward by it
        long v = video.stampNs(2_033 * MS, VIDEO_NTP + 2_033 * MS);

        assertThat(clock.onSenderClock()).isTrue();
        assertThat(a).as("audio: the smaller difference, unchanged").isEqualTo(2_010 * MS);
        assertThat(v).as("video: the later one, forward by the difference").isEqualTo(2_033 * MS + 3_812_000);
        // the two streams are now exactly as far apart as their NTP times
        assertThat(v - a).isEqualTo((VIDEO_NTP + 2_033 * MS) - (AUDIO_NTP + 2_010 * MS));
    }

    /** Audio's report, then video's, both at running time 2 s; returns video's time then. */
    static long bothOnTheSendersClock(SenderClock.Stream audio, SenderClock.Stream video) {
        audio.stampNs(2_000 * MS, AUDIO_NTP + 2_000 * MS);
        return video.stampNs(2_000 * MS, VIDEO_NTP + 2_000 * MS);
    }

    @Test
    void afterTheSwitchTimesFollowTheNtpTimeNotTheJitterBuffersSteps() {
        SenderClock clock = new SenderClock("test");
        SenderClock.Stream video = clock.stream("video");
        long before = bothOnTheSendersClock(clock.stream("audio"), video);
        // rtpbin's lip-sync moves video's running time by 6.5 ms; the NTP time (from the RTP time stamp) does not move
        long after = video.stampNs(2_033 * MS + 6_500_000, VIDEO_NTP + 2_033 * MS);

        assertThat(after - before).isEqualTo(33 * MS);
    }

    @Test
    void aBufferWithoutTheMetaAfterTheSwitchKeepsItsStreamsLastMapping() {
        SenderClock clock = new SenderClock("test");
        SenderClock.Stream video = clock.stream("video");
        long v = bothOnTheSendersClock(clock.stream("audio"), video);

        assertThat(video.stampNs(2_033 * MS, SenderClock.NONE)).isEqualTo(v + 33 * MS);
    }

    @Test
    void aStreamThatAppearsAfterTheSwitchKeepsTheJitterBuffersTimeUntilItsReportThenJoinsTheSharedShift() {
        SenderClock clock = new SenderClock("test");
        SenderClock.Stream audio = clock.stream("audio");
        audio.stampNs(2_000 * MS, AUDIO_NTP + 2_000 * MS);
        assertThat(clock.onSenderClock()).as("a single stream with its report").isTrue();
        SenderClock.Stream video = clock.stream("video");

        assertThat(video.stampNs(3_000 * MS, SenderClock.NONE)).isEqualTo(3_000 * MS);
        assertThat(video.stampNs(3_033 * MS, VIDEO_NTP + 3_033 * MS)).isEqualTo(3_033 * MS + 3_812_000);
        assertThat(audio.stampNs(3_040 * MS, AUDIO_NTP + 3_040 * MS)).isEqualTo(3_040 * MS);
    }
}
