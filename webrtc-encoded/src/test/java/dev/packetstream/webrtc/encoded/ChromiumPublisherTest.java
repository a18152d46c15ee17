package dev.packetstream.webrtc.encoded;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.packetstream.core.AttachOption;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.media.AudioCodec;
import dev.packetstream.core.media.EncodedAudioPacket;
import dev.packetstream.core.media.EncodedVideoPacket;
import dev.packetstream.core.media.VideoCodec;
import dev.packetstream.signaling.testing.HeadlessChromium;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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

    /**
     * The answer asks for 60 ms audio packets ({@code a=ptime:60}) and Chromium sends them: a third
     * of the packets of its default 20 ms, for the same audio.
     */
    @Test
    void aChromiumPublisherAskedForSixtyMillisecondAudioPacketsSendsThem() throws Exception {
        EncodedSessionConfig config = EncodedSessionConfig.builder().loopbackOnly(true).audioPacketTime(Duration.ofMillis(60)).build();
        try (EncodedRuntime gst = new EncodedRuntime("publisher-ptime-test");
             BrowserPeer browser = new BrowserPeer().start(true, "VP8")) {
            EncodedPeerSession session = gst.newSession("chromium", config, browser);
            ReceivedMedia in = new ReceivedMedia("from-chromium", session.newReceiver("camera"));
            browser.offer();
            session.connected().get(20, SECONDS);
            await().atMost(Duration.ofSeconds(20)).until(() -> in.audio.size() >= 30);
            List<Integer> samples = in.audio.stream().map(EncodedAudioPacket::samples).distinct().toList();
            System.out.println("Opus packets asked for 60 ms: " + in.audio.size() + ", samples per packet " + samples);
            assertThat(in.audio).as("48 kHz samples of every Opus packet").allMatch(a -> a.samples() == 2880);
            in.close();
        }
    }

    /**
     * Chromium sizes what it sends to its bandwidth estimate; the receiver's answer offers
     * transport-wide congestion control feedback (TWCC), so the estimate ramps up and the
     * published 1280x720 arrives at that size.
     */
    @Test
    void aChromiumPublisherRampsUpToThePublishedResolutionWithTransportWideFeedback() throws Exception {
        try (EncodedRuntime gst = new EncodedRuntime("ramp-test");
             BrowserPeer browser = new BrowserPeer().publish("VP8", 1280, 720)) {
            EncodedPeerSession session = gst.newSession("chromium", EncodedSessionConfig.builder().loopbackOnly(true)
                    .transportFeedback(true).build(), browser);
            EncodedTrackReceiver receiver = session.newReceiver("camera", MediaKind.VIDEO, MediaKind.AUDIO);
            AtomicReference<String> size = new AtomicReference<>("none");
            PacketStream in = new PacketStream("from-chromium");
            in.attachSource(receiver, AttachOption.SYNC_STATE);
            in.addSink(p -> {
                if (p instanceof EncodedVideoPacket v && v.isKeyframe()) {
                    size.set(v.width() + "x" + v.height());
                }
            });
            in.start();
            browser.offer();
            session.connected().get(20, SECONDS);
            String answer = browser.remoteDescription();
            List<String> timeline = new CopyOnWriteArrayList<>();
            long t0 = System.nanoTime();
            try {
                await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                    Map<String, Object> s = browser.stats();
                    timeline.add(String.format("%4.1f s: received %s, sent %sx%s, limited by '%s', available %s bit/s, target %s bit/s",
                            (System.nanoTime() - t0) / 1e9, size.get(), s.get("sentWidth"), s.get("sentHeight"),
                            s.get("qualityLimitationReason"), s.get("availableOutgoingBitrate"), s.get("targetBitrate")));
                    return size.get().equals("1280x720");
                });
            } finally {
                System.out.println("answer:\n" + answer);
                timeline.forEach(System.out::println);
                in.close();
            }
            assertThat(answer).contains("transport-cc").contains("transport-wide-cc-extensions");
        }
    }
}
