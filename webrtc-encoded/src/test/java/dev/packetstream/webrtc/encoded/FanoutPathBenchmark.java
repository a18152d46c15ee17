package dev.packetstream.webrtc.encoded;

import com.sun.jna.Pointer;
import dev.packetstream.core.Packet;
import dev.packetstream.core.media.EncodedAudioPacket;
import dev.packetstream.core.media.EncodedVideoPacket;
import dev.packetstream.core.media.VideoCodec;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.ElementFactory;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.glib.Natives;

/**
 * Where to fan out: in Java (one app source and payloader per viewer, each fed a shallow copy of a
 * buffer made once per packet: what {@link EncodedFanout} does) or in GStreamer (one app source
 * and payloader, a {@code tee} of the RTP packets and a leaky {@code queue} per viewer). Everything
 * after the fan-out point (rtpbin, SRTP, UDP) is the same per viewer on both paths, so each
 * viewer's branch ends in a {@code fakesink} here, and the figure is the cost of the part that
 * differs. The media is 6 s of VP8 640x480 30 fps ~1 Mbit/s + Opus, encoded once up front and
 * replayed in real time. Prints process CPU (cores) per case and per extra viewer.
 *
 * <p>Run: {@code ./mvnw -B -q -pl webrtc-encoded test-compile exec:exec@bench}
 */
public final class FanoutPathBenchmark {
    private static final int SECONDS = Integer.getInteger("bench.seconds", 10);

    private FanoutPathBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int[] viewers = {1, 25, 50, 100};
        try (EncodedRuntime gst = new EncodedRuntime("bench")) {
            List<Packet> media = record();
            System.out.printf("recorded %d packets (%d video, %d audio)%n", media.size(),
                    media.stream().filter(p -> p instanceof EncodedVideoPacket).count(),
                    media.stream().filter(p -> p instanceof EncodedAudioPacket).count());
            System.out.println("| path | viewers | CPU (cores) | per extra viewer (cores) |");
            System.out.println("|---|---:|---:|---:|");
            for (boolean tee : new boolean[] {false, true}) {
                double base = 0;
                for (int n : viewers) {
                    double cores = run(gst, media, n, tee);
                    if (n == viewers[0]) {
                        base = cores;
                    }
                    String per = n == viewers[0] ? "" : String.format("%.4f", (cores - base) / (n - viewers[0]));
                    System.out.printf("| %s | %d | %.3f | %s |%n", tee ? "GStreamer tee + queue" : "Java (appsrc per viewer)",
                            n, cores, per);
                }
            }
        }
        System.exit(0);
    }

    /** 6 s of the test pattern, encoded once. */
    private static List<Packet> record() throws Exception {
        List<Packet> out = new CopyOnWriteArrayList<>();
        try (TestSource s = new TestSource("record", VideoCodec.VP8, 640, 480, 60)) {
            s.stream.addSink(p -> {
                if (p instanceof EncodedVideoPacket || p instanceof EncodedAudioPacket) {
                    out.add(p.copy());
                }
            });
            s.start();
            long end = System.nanoTime() + 6_500_000_000L;
            while (System.nanoTime() < end) {
                LockSupport.parkNanos(50_000_000L);
            }
        }
        List<Packet> sorted = new ArrayList<>(out);
        sorted.sort((a, b) -> Long.compare(pts(a), pts(b)));
        // start at the first keyframe
        int first = 0;
        while (!(sorted.get(first) instanceof EncodedVideoPacket v && v.isKeyframe())) {
            first++;
        }
        return sorted.subList(first, sorted.size());
    }

    private static long pts(Packet p) {
        return p instanceof EncodedVideoPacket v ? v.ptsUs() : ((EncodedAudioPacket) p).ptsUs();
    }

    private static double run(EncodedRuntime gst, List<Packet> media, int viewers, boolean tee) {
        GstApi.Libs libs = gst.libs();
        Pipeline pipeline = new Pipeline("bench");
        List<Pointer> videoSrcs = new ArrayList<>();
        List<Pointer> audioSrcs = new ArrayList<>();
        int branches = tee ? 1 : viewers;
        for (int i = 0; i < branches; i++) {
            videoSrcs.add(chain(pipeline, "v" + i, "video/x-vp8", "rtpvp8pay", tee ? viewers : 1));
            audioSrcs.add(chain(pipeline, "a" + i, "audio/x-opus,channel-mapping-family=0,rate=48000,channels=2", "rtpopuspay",
                    tee ? viewers : 1));
        }
        pipeline.play();
        long warmupNs = 2_000_000_000L;
        long measureNs = SECONDS * 1_000_000_000L;
        long start = System.nanoTime();
        long cpu0 = 0;
        long t0 = 0;
        boolean measuring = false;
        long loopOffsetUs = 0;
        long span = pts(media.get(media.size() - 1)) - pts(media.get(0)) + 33_000;
        long firstPts = pts(media.get(0));
        outer:
        while (true) {
            for (Packet p : media) {
                long due = start + (pts(p) - firstPts + loopOffsetUs) * 1000;
                long now;
                while ((now = System.nanoTime()) < due) {
                    LockSupport.parkNanos(due - now);
                }
                if (!measuring && now - start > warmupNs) {
                    measuring = true;
                    t0 = now;
                    cpu0 = processCpuNs();
                }
                if (measuring && now - t0 > measureNs) {
                    break outer;
                }
                EncodedBuffer b = EncodedBuffer.of(libs, p);
                List<Pointer> targets = p instanceof EncodedVideoPacket ? videoSrcs : audioSrcs;
                for (Pointer src : targets) {
                    libs.app().gst_app_src_push_buffer(src, b.stamped(loopOffsetUs * 1000 + 1_000_000_000L, true));
                }
                b.release();
            }
            loopOffsetUs += span;
        }
        double cores = (processCpuNs() - cpu0) / (double) (System.nanoTime() - t0);
        pipeline.setState(State.NULL);
        pipeline.dispose();
        return cores;
    }

    /** appsrc → payloader → (tee → queue →) fakesink × outputs; returns the app source. */
    private static Pointer chain(Pipeline pipeline, String name, String caps, String payloader, int outputs) {
        Element src = ElementFactory.make("appsrc", name + "-src");
        src.set("caps", Caps.fromString(caps));
        src.set("format", 3);
        src.set("is-live", true);
        src.set("max-bytes", 0L);
        Element pay = ElementFactory.make(payloader, name + "-pay");
        pipeline.addMany(src, pay);
        Element.linkMany(src, pay);
        if (outputs == 1) {
            Element sink = sink(name + "-sink");
            pipeline.add(sink);
            pay.link(sink);
        } else {
            Element t = ElementFactory.make("tee", name + "-tee");
            pipeline.add(t);
            pay.link(t);
            for (int i = 0; i < outputs; i++) {
                Element q = ElementFactory.make("queue", name + "-q" + i);
                q.set("leaky", 2); // downstream: a stalled viewer loses its oldest packets
                q.set("max-size-buffers", 300);
                Element sink = sink(name + "-sink" + i);
                pipeline.addMany(q, sink);
                Element.linkMany(t, q, sink);
            }
        }
        return Natives.getRawPointer(src);
    }

    private static Element sink(String name) {
        Element s = ElementFactory.make("fakesink", name);
        s.set("sync", false);
        s.set("async", false);
        return s;
    }

    private static long processCpuNs() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
