package dev.packetstream.samples.recorder;

import dev.packetstream.av.Container;
import dev.packetstream.av.MultiplexPacketEncoder;
import dev.packetstream.core.Packet;
import dev.packetstream.core.PacketProcessor;
import dev.packetstream.core.Retention;
import dev.packetstream.core.media.EncodedVideoPacket;
import dev.packetstream.signaling.bridge.PeerSignaller;
import dev.packetstream.webrtc.encoded.EncodedPeerSession;
import dev.packetstream.webrtc.encoded.EncodedRuntime;
import dev.packetstream.webrtc.encoded.EncodedSessionConfig;
import dev.packetstream.webrtc.encoded.EncodedTrackReceiver;
import dev.packetstream.webrtc.encoded.MediaKind;
import java.nio.file.Path;

/**
 * One browser's recording without transcoding: the browser's encoded video (VP8, or H.264 for MP4)
 * and Opus audio are written to the file as they arrive, nothing decoded or encoded.
 *
 * <pre>
 * EncodedTrackReceiver ──► AsyncPacketQueue("to-file") ──► RemuxHeaders ──► MultiplexPacketEncoder(file)
 *  (GStreamer webrtcbin,        (one writer thread                                     (muxes the packets as they are,
 *   depayloaded, owned)          for both tracks)                                       trailer on stop)
 * </pre>
 *
 * <h2>Timestamps</h2>
 * Both tracks carry the receiver's timestamps: the session's running time after the jitter buffer,
 * where the browser's RTCP sender reports put audio and video on one clock. The muxer writes them
 * as they are (from the first video keyframe on), so the file keeps the browser's own A/V
 * alignment and its real frame timing; nothing is re-stamped on arrival.
 *
 * <h2>Size</h2>
 * The file has the browser's resolution, which changes while its bandwidth estimate ramps up; the
 * changes come at keyframes and players follow them. ({@code --transcode} scales to one size.)
 *
 * <h2>Ownership</h2>
 * The receiver's packets are owned (copied once out of GStreamer); the muxer copies each into
 * FFmpeg's packet during the call.
 */
public final class RemuxSession extends FileRecording {
    private final EncodedPeerSession session;
    private final EncodedTrackReceiver receiver;
    private final Arrivals arrivals;

    private RemuxSession(String peerId, Path file, Container container, EncodedPeerSession session, EncodedTrackReceiver receiver,
                         Arrivals arrivals) {
        super(peerId, file, session::close, session.closedFuture(), "remux-" + shortId(peerId), receiver,
                receiver::videoPacketsReceived, MultiplexPacketEncoder.builder(file).container(container), stream -> {
                    stream.attach(arrivals, -10);
                    stream.attach(new RemuxHeaders("codec-headers"), 40);
                });
        this.session = session;
        this.receiver = receiver;
        this.arrivals = arrivals;
    }

    /** Answers {@code peerId}'s offer on a new session of {@code runtime} and starts writing {@code file}. */
    static RemuxSession start(String peerId, Path file, Container container, EncodedRuntime runtime, EncodedSessionConfig config,
                              PeerSignaller signaller) {
        EncodedPeerSession session = runtime.newSession("rec-" + shortId(peerId), config, signaller);
        return new RemuxSession(peerId, file, container, session,
                session.newReceiver("from-browser", MediaKind.VIDEO, MediaKind.AUDIO), new Arrivals());
    }

    /** Notes when the first and last video packets arrived (receiver's thread), and passes everything on. */
    private static final class Arrivals extends PacketProcessor {
        private volatile long firstVideoNanos;
        private volatile long lastVideoNanos;

        Arrivals() {
            super("arrivals", Retention.BORROWED);
        }

        @Override
        public void process(Packet packet) {
            if (packet instanceof EncodedVideoPacket) {
                long now = System.nanoTime();
                if (firstVideoNanos == 0) {
                    firstVideoNanos = now;
                }
                lastVideoNanos = now;
            }
            emit(packet);
        }
    }

    public EncodedPeerSession session() {
        return session;
    }

    public EncodedTrackReceiver receiver() {
        return receiver;
    }

    /** Seconds from the first to the last video packet received (wall clock). */
    public double videoSecondsReceived() {
        long first = arrivals.firstVideoNanos;
        return first == 0 ? 0 : (arrivals.lastVideoNanos - first) / 1e9;
    }

    /** Packets the queue dropped because the writer fell behind. */
    public long packetsDropped() {
        return queueDropped();
    }

    @Override
    protected String summary() {
        return muxer().videoPacketsWritten() + " video packets of " + receiver.videoPacketsReceived() + " received";
    }
}
