package dev.packetstream.webrtc;

import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.AudioTrackSink;
import dev.onvoid.webrtc.media.video.I420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrame;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.onvoid.webrtc.media.video.VideoTrackSink;
import dev.packetstream.core.DiscardReason;
import dev.packetstream.core.EventLoop;
import dev.packetstream.core.Packet;
import dev.packetstream.core.PacketStreamAdapter;
import dev.packetstream.core.Retention;
import dev.packetstream.core.Startable;
import dev.packetstream.core.media.RawAudioFrame;
import dev.packetstream.core.media.RawVideoFrame;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A source of a session's remote media: decoded video frames as {@link RawVideoFrame}s and
 * decoded audio as {@link RawAudioFrame}s. Made by {@link PeerSession#newReceiver}; attach it to
 * a stream with {@code AttachOption.SYNC_STATE} so the stream starts and stops it.
 *
 * <pre>{@code
 * WebRtcTrackReceiver receiver = session.newReceiver("remote", MediaKind.VIDEO, MediaKind.AUDIO);
 * stream.attachSource(receiver, AttachOption.SYNC_STATE);
 * stream.attach(new AsyncPacketQueue("to-recorder", 64), 0);
 * stream.attach(recorder, 10);
 * }</pre>
 *
 * <h2>Ownership</h2>
 * Each video frame is libwebrtc's own native I420 frame, wrapped without a copy in a
 * <b>reference-counted</b> packet ({@link RawVideoFrame#wrapRetained}) whose deallocator releases
 * the native frame. The receiver holds one reference while it emits and releases it when the emit
 * returns; a stage that keeps the frame retains it (a queue does) and releases it when done. A
 * frame nobody releases is reported by the leak detector. Audio arrives as a fresh array per
 * callback and is emitted as an owned {@link RawAudioFrame} (no copy).
 *
 * <h2>Threads</h2>
 * By default packets are emitted on libwebrtc's threads: video on the incoming-video (decoder)
 * thread, audio on the audio module's playout thread (every 10 ms). Keep downstream work short
 * there, or hop: {@link #deliverOn(EventLoop)} emits on that loop instead (the video frame's
 * reference travels with the task; nothing is copied). Do not block on the session's own methods
 * (e.g. a synchronous {@code close()} is turned into an asynchronous one) from a delivery thread.
 *
 * <h2>Timestamps</h2>
 * Video frames carry libwebrtc's timestamp of the decoded frame (microseconds, on this process's
 * monotonic clock, the clock of {@code System.nanoTime()}); audio frames carry their arrival time
 * on the same clock. Neither is the sender's capture time (libwebrtc does not expose it).
 *
 * <h2>Lifecycle</h2>
 * Frames arriving while the receiver is not started are released at once and counted as
 * dropped. Tracks the peer adds later are picked up automatically. When the session closes, the
 * sinks are removed from the remote tracks (no callback runs after that) and the receiver emits
 * nothing more.
 */
public final class WebRtcTrackReceiver extends PacketStreamAdapter implements Startable {
    private final PeerSession session;
    private volatile EventLoop loop;
    private volatile boolean started;
    private volatile boolean sessionClosed;
    private final List<Runnable> detachers = new CopyOnWriteArrayList<>();
    /** Per thread: how many of this receiver's emits it is inside (no allocation after a thread's first). */
    private final ThreadLocal<int[]> emitDepth = ThreadLocal.withInitial(() -> new int[1]);
    private final AtomicLong videoFrames = new AtomicLong();
    private final AtomicLong audioFrames = new AtomicLong();
    private volatile int lastWidth;
    private volatile int lastHeight;

    private final VideoTrackSink videoSink = this::onVideoFrame;
    private final AudioTrackSink audioSink = this::onAudio;

    WebRtcTrackReceiver(PeerSession session, String name) {
        super(name, Retention.RETAINED);
        this.session = session;
    }

    /** Emits on {@code loop} instead of libwebrtc's threads. Call before starting. */
    public WebRtcTrackReceiver deliverOn(EventLoop loop) {
        this.loop = loop;
        return this;
    }

    @Override
    public void start() {
        started = true;
    }

    @Override
    public void stop() {
        started = false;
    }

    /** Video frames emitted. */
    public long videoFramesReceived() {
        return videoFrames.get();
    }

    /** Audio frames (10 ms each) emitted. */
    public long audioFramesReceived() {
        return audioFrames.get();
    }

    /** Frames released unseen because the receiver was stopped, or the loop refused them. */
    public long framesDropped() {
        return discardedCount();
    }

    /** The size of the last video frame, "WxH", or "" before the first. */
    public String lastVideoSize() {
        return lastWidth == 0 ? "" : lastWidth + "x" + lastHeight;
    }

    public PeerSession session() {
        return session;
    }

    /** Event thread: adds this receiver's sink to a remote track. */
    void attachTrack(MediaStreamTrack track) {
        if (sessionClosed) {
            return;
        }
        if (track instanceof VideoTrack v) {
            v.addSink(videoSink);
            detachers.add(() -> v.removeSink(videoSink));
        } else if (track instanceof AudioTrack a) {
            a.addSink(audioSink);
            detachers.add(() -> a.removeSink(audioSink));
        }
    }

    /** Session teardown: remove the sinks; no callback runs after this returns. */
    void detachAll() {
        for (Runnable r : detachers) {
            r.run();
        }
        detachers.clear();
    }

    void sessionClosed() {
        sessionClosed = true;
        started = false;
    }

    /** Whether the calling thread is emitting one of this receiver's packets (libwebrtc's thread or the loop). */
    boolean inEventLoop() {
        return emitDepth.get()[0] > 0;
    }

    /** libwebrtc's video callback; package-private for tests. Owns one reference to {@code frame}. */
    void onVideoFrame(VideoFrame frame) {
        if (!started) {
            frame.release();
            discard(null, DiscardReason.INACTIVE); // a native frame: no packet was made
            return;
        }
        I420Buffer b = frame.buffer.toI420();
        int w = b.getWidth();
        int h = b.getHeight();
        lastWidth = w;
        lastHeight = h;
        Runnable deallocator;
        if (b == frame.buffer) {
            deallocator = frame::release; // already I420: the packet wraps the frame's own planes
        } else {
            // toI420() of another format made a new buffer: the packet wraps (and frees) that one,
            // and the frame it was converted from is not needed any more
            frame.release();
            deallocator = b::release;
        }
        RawVideoFrame packet = RawVideoFrame.wrapRetained(w, h, b.getDataY(), b.getStrideY(), b.getDataU(), b.getStrideU(),
                b.getDataV(), b.getStrideV(), frame.timestampNs / 1000, deallocator);
        videoFrames.incrementAndGet();
        deliver(packet, true);
    }

    private void onAudio(byte[] data, int bitsPerSample, int sampleRate, int channels, int frames) {
        if (!started || bitsPerSample != 16) {
            discard(null, started ? DiscardReason.UNSUPPORTED : DiscardReason.INACTIVE); // no packet was made
            return;
        }
        audioFrames.incrementAndGet();
        deliver(RawAudioFrame.own(data, sampleRate, channels, frames, System.nanoTime() / 1000), false);
    }

    /** Emits here or on the loop; releases the creator's reference after the emit. */
    private void deliver(Packet packet, boolean refCounted) {
        EventLoop l = loop;
        if (l == null || l.inEventLoop()) {
            emitAndRelease(packet, refCounted);
            return;
        }
        try {
            l.execute(() -> emitAndRelease(packet, refCounted));
        } catch (RejectedExecutionException e) {
            discardHeld(packet, DiscardReason.CLOSED); // the loop is shut down; gives back the creator's reference
        }
    }

    private void emitAndRelease(Packet packet, boolean refCounted) {
        int[] depth = emitDepth.get();
        depth[0]++;
        try {
            packet.touch("WebRtcTrackReceiver '" + name() + "' emit");
            emit(packet);
        } finally {
            depth[0]--;
            if (refCounted) {
                packet.release();
            }
        }
    }

    @Override
    public String toString() {
        return "WebRtcTrackReceiver('" + name() + "' on '" + session.name() + "')";
    }
}
