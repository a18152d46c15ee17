package dev.packetstream.webrtc.encoded;

import dev.packetstream.core.peer.InMemorySignaller;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.packetstream.core.media.AudioCodec;
import dev.packetstream.core.media.EncodedAudioPacket;
import dev.packetstream.core.media.EncodedVideoPacket;
import dev.packetstream.core.media.VideoCodec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JavaLoopbackTest {
    static final EncodedSessionConfig LOOPBACK = EncodedSessionConfig.builder().loopbackOnly(true).build();

    @ParameterizedTest
    @EnumSource(value = VideoCodec.class, names = {"H264", "VP8", "VP9"})
    void encodedVideoAndAudioArriveAtAJavaReceiverWithKeyframes(VideoCodec codec) throws Exception {
        try (EncodedRuntime gst = new EncodedRuntime("loopback");
             TestSource source = new TestSource("src-" + codec, codec, 320, 240)) {
            InMemorySignaller.Pair link = InMemorySignaller.pair();
            EncodedPeerSession tx = gst.newSession("tx", LOOPBACK, link.a());
            EncodedPeerSession rx = gst.newSession("rx", LOOPBACK, link.b());
            EncodedTrackSender sender = tx.newSender("cam").video(codec).audio(AudioCodec.OPUS).build();
            sender.onKeyframeRequest(r -> source.video.requestKeyframe());
            EncodedTrackReceiver receiver = rx.newReceiver("remote");
            ReceivedMedia in = new ReceivedMedia("in", receiver);
            List<EncodedVideoPacket> video = in.video;
            List<EncodedAudioPacket> audio = in.audio;
            source.then(sender, 50).start();

            tx.negotiate().get(15, SECONDS);
            tx.connected().get(15, SECONDS);
            await().atMost(Duration.ofSeconds(15)).until(() -> video.size() > 60 && audio.size() > 100);

            assertThat(video.get(0).isKeyframe()).as("the first video packet is a keyframe").isTrue();
            assertThat(video).allMatch(v -> v.codec() == codec);
            assertThat(video.get(0).data().remaining()).isGreaterThan(100);
            assertThat(audio).allMatch(a -> a.codec() == AudioCodec.OPUS && a.samples() == 960);
            System.out.printf("%s: %d video (%d key) %d audio, sender %s%n", codec, video.size(),
                    video.stream().filter(EncodedVideoPacket::isKeyframe).count(), audio.size(), sender);
            in.close();
        }
    }

    @Test
    void theReceiverCanOfferAndTheSenderAnswers() throws Exception {
        try (EncodedRuntime gst = new EncodedRuntime("loopback-reverse");
             TestSource source = new TestSource("src", VideoCodec.VP8, 320, 240);
             JavaViewer v = new JavaViewer(gst, "reverse", VideoCodec.VP8, 150)) {
            v.sender.onKeyframeRequest(r -> source.video.requestKeyframe());
            source.then(v.sender, 50).start();
            await().atMost(Duration.ofSeconds(10)).until(() -> v.sender.videoPacketsSent() > 0);
            EncodedTrackReceiver asking = v.rx.newReceiver("asking", MediaKind.VIDEO, MediaKind.AUDIO);
            assertThat(asking).isNotNull();
            v.rx.negotiate().get(15, SECONDS); // the receiving side offers; the sending side answers
            v.rx.connected().get(15, SECONDS);
            EncodedVideoPacket first = v.firstVideo.get(10, SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> v.audio.get() > 20);
            assertThat(first.isKeyframe()).isTrue();
            assertThat(first.codec()).isEqualTo(VideoCodec.VP8);
        }
    }

    @Test
    void aReceiversKeyframeRequestReachesTheSendersOwnerAsAPeerRequest() throws Exception {
        try (EncodedRuntime gst = new EncodedRuntime("pli");
             TestSource source = new TestSource("src", VideoCodec.VP8, 320, 240, 600); // keyframes only on request
             JavaViewer v = new JavaViewer(gst, "pli", VideoCodec.VP8, 150)) {
            List<EncodedTrackSender.KeyframeReason> reasons = new CopyOnWriteArrayList<>();
            v.sender.onKeyframeRequest(r -> {
                reasons.add(r);
                source.video.requestKeyframe();
            });
            source.then(v.sender, 50).start();
            v.tx.negotiate().get(15, SECONDS);
            v.firstVideo.get(10, SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> v.video.get() > 30);
            long keys = v.keyframes.get();
            long peer = v.sender.keyframeRequestsFromPeer();
            assertThat(v.receiver.requestKeyframe()).isTrue(); // PLI/FIR from the receiving session
            await().atMost(Duration.ofSeconds(5)).until(() -> v.sender.keyframeRequestsFromPeer() > peer);
            await().atMost(Duration.ofSeconds(5)).until(() -> v.keyframes.get() > keys);
            assertThat(reasons).contains(EncodedTrackSender.KeyframeReason.PEER_REQUEST);
        }
    }
}
