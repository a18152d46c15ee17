package dev.packetstream.webrtc.encoded;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.packetstream.core.media.EncodedVideoPacket;
import dev.packetstream.core.media.VideoCodec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The live fan-out with Java viewers (fast, no browser): keyframe starts, slow viewers, join/leave. */
class FanoutTest {

    /** A started fan-out of {@code source}; keyframe requests are recorded and reach the source's encoder. */
    private static EncodedFanout relay(EncodedRuntime gst, TestSource source, List<EncodedTrackSender.KeyframeReason> requests) {
        EncodedFanout fanout = new EncodedFanout("relay", gst);
        fanout.onKeyframeRequest(r -> {
            requests.add(r);
            source.video.requestKeyframe();
        });
        source.then(fanout, 50).start();
        return fanout;
    }

    @Test
    void aNewViewerStartsOnAKeyframeAndTriggersAKeyframeRequest() throws Exception {
        try (EncodedRuntime gst = new EncodedRuntime("fanout-join");
             TestSource source = new TestSource("pattern", VideoCodec.VP8, 320, 240, 600)) {
            List<EncodedTrackSender.KeyframeReason> requests = new CopyOnWriteArrayList<>();
            EncodedFanout fanout = relay(gst, source, requests);
            await().atMost(Duration.ofSeconds(10)).until(() -> fanout.packetsIn() > 100); // mid-stream: keyframes only every 20 s

            try (JavaViewer viewer = new JavaViewer(gst, "late", VideoCodec.VP8, 150)) {
                fanout.addViewer(viewer.sender);
                viewer.tx.negotiate().get(10, SECONDS);
                viewer.tx.connected().get(10, SECONDS);
                long connectedAt = System.nanoTime();
                EncodedVideoPacket first = viewer.firstVideo.get(5, SECONDS);
                double ms = (viewer.firstVideoNanos - connectedAt) / 1e6;
                System.out.printf("late viewer: first video %.0f ms after connected, keyframe=%s, requests %s%n",
                        ms, first.isKeyframe(), requests);
                assertThat(first.isKeyframe()).as("a late viewer's first video packet is a keyframe").isTrue();
                assertThat(ms).as("ms from connected to first frame").isLessThan(2000);
                assertThat(requests).contains(EncodedTrackSender.KeyframeReason.WAITING_FOR_KEYFRAME);
            }
        }
    }

    @Test
    void aStalledViewerDoesNotStallTheOthersAndRestartsOnAKeyframe() throws Exception {
        try (EncodedRuntime gst = new EncodedRuntime("fanout-stall");
             // keyframes only every 20 s: the stalled viewer can restart only on a keyframe it asks for
             // (with one every 2 s a natural keyframe could come first, and no request was needed)
             TestSource source = new TestSource("pattern", VideoCodec.VP8, 320, 240, 600)) {
            List<EncodedTrackSender.KeyframeReason> requests = new CopyOnWriteArrayList<>();
            EncodedFanout fanout = relay(gst, source, requests);
            // the stalled viewer has a short queue so that it overflows quickly; the others the default
            try (JavaViewer a = new JavaViewer(gst, "a", VideoCodec.VP8, 150);
                 JavaViewer slow = new JavaViewer(gst, "slow", VideoCodec.VP8, 40);
                 JavaViewer c = new JavaViewer(gst, "c", VideoCodec.VP8, 150)) {
                for (JavaViewer v : List.of(a, slow, c)) {
                    fanout.addViewer(v.sender);
                    v.tx.negotiate().get(10, SECONDS);
                }
                for (JavaViewer v : List.of(a, slow, c)) {
                    v.tx.connected().get(10, SECONDS);
                    v.firstVideo.get(5, SECONDS);
                }
                // what the slow viewer's own sender asks for (the fan-out passes its viewers' requests on at
                // most once per keyframeRequestInterval, merging requests that come close together)
                List<EncodedTrackSender.KeyframeReason> slowAsked = new CopyOnWriteArrayList<>();
                slow.sender.onKeyframeRequest(slowAsked::add);
                long pa = a.video.get(), pc = c.video.get(), ps = slow.video.get(), pcs = c.sender.videoPacketsSent(), pt = System.nanoTime();
                await().atMost(Duration.ofSeconds(10)).until(() -> System.nanoTime() - pt > 2_000_000_000L);
                double ps2 = (System.nanoTime() - pt) / 1e9;
                System.out.printf("before stall: %.1f / %.1f / %.1f fps, c sent %.1f/s, c waiting-drops %d%n", (a.video.get() - pa) / ps2,
                        (slow.video.get() - ps) / ps2, (c.video.get() - pc) / ps2, (c.sender.videoPacketsSent() - pcs) / ps2,
                        c.sender.droppedWaitingForKeyframe());
                int requestsBeforeStall = requests.size();
                slow.stallVideo();
                await().atMost(Duration.ofSeconds(10)).until(() -> slow.sender.droppedOverflow() > 10);
                long a0 = a.video.get();
                long c0 = c.video.get();
                long t0 = System.nanoTime();
                await().atMost(Duration.ofSeconds(10)).until(() -> System.nanoTime() - t0 > 3_000_000_000L
                        && slow.sender.droppedOverflow() > 60); // the slow viewer keeps overflowing meanwhile
                double secs = (System.nanoTime() - t0) / 1e9;
                double aFps = (a.video.get() - a0) / secs;
                double cFps = (c.video.get() - c0) / secs;
                long slowKeys = slow.keyframes.get();
                slow.resumeVideo();
                await().atMost(Duration.ofSeconds(5)).until(() -> slow.keyframes.get() > slowKeys);
                System.out.printf("stall: others %.1f / %.1f fps over %.1f s; slow viewer dropped %d to keyframes, requests %s (its sender's: %s), load %s%n",
                        aFps, cFps, secs, slow.sender.droppedOverflow(), requests, slowAsked,
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                assertThat(aFps).isGreaterThanOrEqualTo(25);
                assertThat(cFps).isGreaterThanOrEqualTo(25);
                assertThat(a.sender.droppedOverflow()).isZero();
                assertThat(c.sender.droppedOverflow()).isZero();
                // After the stall the slow viewer's sender asks for a keyframe: for its overflowed queue, or
                // for its peer, whose receiver sends a PLI on the stale frames at resume and whose keyframe
                // can come before the queue's own request is due (seen in 1 run of 4 on an idle machine).
                // Which of the two comes first is a race between real components; the queue's reason
                // itself is pinned by KeyframeGateTest. Its listeners run on the session's event thread:
                // polled, not read once.
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(slowAsked)
                        .as("the slow viewer's sender asks for a keyframe after its queue overflowed")
                        .containsAnyOf(EncodedTrackSender.KeyframeReason.QUEUE_OVERFLOW, EncodedTrackSender.KeyframeReason.PEER_REQUEST));
                assertThat(requests.size()).as("the fan-out passed a keyframe request on to its owner after the stall")
                        .isGreaterThan(requestsBeforeStall);
            }
        }
    }
}
