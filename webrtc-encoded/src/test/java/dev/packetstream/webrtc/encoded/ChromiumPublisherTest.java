package dev.packetstream.webrtc.encoded;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.packetstream.core.media.AudioCodec;
import dev.packetstream.core.media.EncodedAudioPacket;
import dev.packetstream.core.media.EncodedVideoPacket;
import dev.packetstream.core.media.VideoCodec;
import dev.packetstream.signaling.testing.HeadlessChromium;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A real headless Chromium publishes its fake camera and microphone; the encoded receiver gets them without decoding. */
class ChromiumPublisherTest {
    @BeforeAll
    static void browser() {
        HeadlessChromium.assumeAvailable();
    }

    @ParameterizedTest
    @EnumSource(value = VideoCodec.class, names = {"H264", "VP8"})
    void aChromiumPublisherReachesTheEncodedReceiverWithKeyframesAndAudio(VideoCodec codec) throws Exception {
        try (EncodedRuntime gst = new EncodedRuntime("publisher-test");
             BrowserPeer browser = new BrowserPeer().start(true, codec.name())) {
            EncodedPeerSession session = gst.newSession("chromium", JavaLoopbackTest.LOOPBACK, browser);
            EncodedTrackReceiver receiver = session.newReceiver("camera");
            ReceivedMedia in = new ReceivedMedia("from-chromium", receiver);
            List<EncodedVideoPacket> video = in.video;
            List<EncodedAudioPacket> audio = in.audio;
            browser.offer(); // the browser offers, the session answers by itself
            session.connected().get(20, SECONDS);
            await().atMost(Duration.ofSeconds(20)).until(() -> video.size() >= 40 && audio.size() >= 100);

            long keyframes = video.stream().filter(EncodedVideoPacket::isKeyframe).count();
            long before = receiver.keyframesReceived();
            assertThat(receiver.requestKeyframe()).as("a PLI/FIR went out").isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> receiver.keyframesReceived() > before);
            System.out.printf("%s: %d video packets (%d keyframes, first %s, %dx%d), %d Opus packets, browser encoded %d%n",
                    codec, video.size(), keyframes, video.get(0).isKeyframe() ? "key" : "delta", video.get(0).width(),
                    video.get(0).height(), audio.size(), browser.stat("framesEncoded"));
            assertThat(video).allMatch(v -> v.codec() == codec);
            assertThat(keyframes).isGreaterThanOrEqualTo(1);
            assertThat(video.get(0).isKeyframe()).as("the browser starts with a keyframe").isTrue();
            assertThat(audio).allMatch(a -> a.codec() == AudioCodec.OPUS && a.samples() == 960);
            assertThat(receiver.remoteEncodings()).containsExactlyInAnyOrder(codec.name(), "OPUS");
            in.close();
        }
    }
}
