package dev.packetstream.webrtc.encoded;

import dev.packetstream.core.peer.InMemorySignaller;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.packetstream.core.AttachOption;
import dev.packetstream.core.Packet;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.media.AudioCodec;
import dev.packetstream.core.media.EncodedAudioPacket;
import dev.packetstream.core.media.EncodedVideoPacket;
import dev.packetstream.core.media.VideoCodec;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The receiver's timestamps put audio and video on one clock: each received packet is matched to
 * the packet that was sent by its bytes (VP8 frames and Opus packets arrive byte for byte), and the
 * offset between receive time stamp and source time stamp must be the same for both kinds. The
 * sender's RTCP reports, as the receiver reads them ({@link SenderReportProbe}), map both tracks
 * onto one clock that does not jump.
 */
class AvTimestampTest {

    @Test
    void receivedAudioAndVideoKeepTheSourcesRelativeTimingAndTheSendersReportsPutThemOnOneClock() throws Exception {
        Map<ByteBuffer, Long> sentPts = new ConcurrentHashMap<>();
        List<Long> videoOffsets = new CopyOnWriteArrayList<>();
        List<Long> audioOffsets = new CopyOnWriteArrayList<>();
        List<List<Double>> reports;
        try (EncodedRuntime gst = new EncodedRuntime("av");
             TestSource source = new TestSource("pattern", VideoCodec.VP8, 320, 240, 60, 441)) {
            InMemorySignaller.Pair link = InMemorySignaller.pair();
            EncodedPeerSession tx = gst.newSession("tx", JavaLoopbackTest.LOOPBACK, link.a());
            EncodedPeerSession rx = gst.newSession("rx", JavaLoopbackTest.LOOPBACK, link.b());
            EncodedTrackSender sender = tx.newSender("cam").video(VideoCodec.VP8).audio(AudioCodec.OPUS).build();
            sender.onKeyframeRequest(r -> source.video.requestKeyframe());
            source.stream.addSink(p -> {
                if (p instanceof EncodedVideoPacket v) {
                    sentPts.put(ByteBuffer.wrap(v.toByteArray()), v.ptsUs());
                } else if (p instanceof EncodedAudioPacket a) {
                    sentPts.put(ByteBuffer.wrap(a.toByteArray()), a.ptsUs());
                }
            });
            SenderReportProbe probe = new SenderReportProbe(rx);
            EncodedTrackReceiver receiver = rx.newReceiver("in");
            PacketStream in = new PacketStream("in");
            in.attachSource(receiver, AttachOption.SYNC_STATE);
            in.addSink((Packet p) -> {
                if (p instanceof EncodedVideoPacket v) {
                    Long sent = sentPts.get(ByteBuffer.wrap(v.toByteArray()));
                    if (sent != null) {
                        videoOffsets.add(v.ptsUs() - sent);
                    }
                } else if (p instanceof EncodedAudioPacket a) {
                    Long sent = sentPts.get(ByteBuffer.wrap(a.toByteArray()));
                    if (sent != null) {
                        audioOffsets.add(a.ptsUs() - sent);
                    }
                }
            });
            in.start();
            source.then(sender, 50).start();
            tx.negotiate().get(15, SECONDS);
            await().atMost(Duration.ofSeconds(20)).until(() -> videoOffsets.size() > 150 && audioOffsets.size() > 250);
            // both tracks mapped by at least two sender reports each
            await().atMost(Duration.ofSeconds(20)).until(() -> probe.ntpMinusPtsMs().size() == 2
                    && probe.ntpMinusPtsMs().stream().allMatch(l -> l.size() > 100));
            in.close();
            reports = probe.ntpMinusPtsMs();
        }
        // medians: the tone repeats once a second, so an Opus packet can also match an identical earlier
        // one; the map keeps the latest, which is right while the latency stays under a second
        long v = median(videoOffsets);
        long a = median(audioOffsets);
        long vSpread = spread(videoOffsets);
        System.out.printf("receive minus source time stamp: video %d us, audio %d us, A/V skew %d us (video spread %d us; %d/%d matched)%n",
                v, a, v - a, vSpread, videoOffsets.size(), audioOffsets.size());
        assertThat(Math.abs(v - a)).as("A/V skew at the receiver, microseconds").isLessThan(30_000);
        // Frame to frame, the received timestamps step exactly as the sent ones (arrival stamping would
        // jitter every frame). The whole-run spread is printed, not asserted: rtpbin's synced mode moves
        // the mapping now and then by one step of ~6.5 ms (seen as 6.6 and 13.3 ms spreads in 2 of 8 runs).
        // The sender's reports: per track, the sender NTP time the receiver reads for each packet
        // minus the packet's time stamp stays one constant (with rtpbin's send-time reports it
        // jumped by -780 and -3500 ms within 10 s), and the same for both tracks (was 14.6 ms apart).
        List<Double> levels = new ArrayList<>();
        for (List<Double> track : reports) {
            double lo = Collections.min(track);
            double hi = Collections.max(track);
            System.out.printf("sender report mapping, one track: NTP minus time stamp %.1f ... %.1f ms over %d packets%n",
                    lo % 100_000, hi % 100_000, track.size());
            assertThat(hi - lo).as("one track's sender-report mapping moved within the run (ms)").isLessThan(2.0);
            levels.add(lo);
        }
        // Apart by 0.015 ms in most runs, 3.2 ms once (CI, 2 Dec 2026 16:15 UTC, each track's own
        // mapping steady within 2 ms; not traced, perhaps a step of the receiver's synced-mode mapping).
        // What this guards against, send-time reports, put them 14.6 ms apart (and jumped by seconds).
        assertThat(Math.abs(levels.get(0) - levels.get(1))).as("audio's and video's sender-report mappings apart (ms)").isLessThan(5.0);
        long frameJitter = p90OfSteps(videoOffsets);
        System.out.printf("video: 90th percentile of frame-to-frame timestamp change against the source's: %d us%n", frameJitter);
        assertThat(frameJitter).as("video timestamps follow the source's, not arrival (frame-to-frame, microseconds)").isLessThan(1_000);
    }

    private static long median(List<Long> l) {
        List<Long> s = new ArrayList<>(l);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    /** The 90th percentile of |offset[i] - offset[i-1]|, in receive order. */
    private static long p90OfSteps(List<Long> l) {
        List<Long> steps = new ArrayList<>();
        for (int i = 1; i < l.size(); i++) {
            steps.add(Math.abs(l.get(i) - l.get(i - 1)));
        }
        Collections.sort(steps);
        return steps.get((int) (steps.size() * 0.9));
    }

    /** Difference between the 90th and 10th percentile. */
    private static long spread(List<Long> l) {
        List<Long> s = new ArrayList<>(l);
        Collections.sort(s);
        return s.get(s.size() * 9 / 10) - s.get(s.size() / 10);
    }
}
