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
import dev.packetstream.core.media.SampleClock;
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
 * <h2>Timestamps: one clock for both tracks, the sender's</h2>
 * Both tracks are stamped in microseconds on this process's monotonic clock (the clock of
 * {@code System.nanoTime()}, libwebrtc's own on Linux), and both follow the <em>sender's</em>
 * capture clock, so a recording neither drifts nor jumps when libwebrtc changes its playout
 * delays. libwebrtc plays media live and does change them: NetEq grows its buffer after an
 * underrun or while the headless audio module pulls slowly (measured 0.3–0.6% slower than the
 * clock, more under load), and A/V synchronisation and decode-time estimates move video's — by
 * up to hundreds of milliseconds, at different times for the two tracks. So:
 * <ul>
 *   <li><b>Audio</b> timestamps follow the samples actually received, corrected by what NetEq
 *       did to them: the first chunk's arrival time, plus the samples received since, plus the
 *       samples NetEq removed to catch up, minus those it inserted to slow down or to conceal an
 *       underrun ({@link #audioContentAdjustSamples()}, from the session's statistics every
 *       250 ms). That is the sender's sample clock, whatever the module's pull rate
 *       ({@link #audioPullDriftMicros()} shows that rate's drift).</li>
 *   <li><b>Video</b> timestamps are libwebrtc's render times, minus how much video's playout delay
 *       has changed since it was first known ({@link #videoDelayChangeMicros()}): the delay is the
 *       statistics' time minus {@code estimatedPlayoutTimestamp}, the sender's capture time of
 *       the frame on show (known after the sender's first RTCP report). The change is applied
 *       gradually (at most 10% of the time between frames), so timestamps keep increasing.</li>
 * </ul>
 * What remains is the offset between the two tracks' playout delays when the media started
 * (libwebrtc synchronises the tracks only after the sender's reports), typically a few tens of
 * milliseconds, constant for the whole recording. Without statistics (a session that cannot
 * report them) audio follows the samples received and video the render times.
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
    /** Audio module's thread only: where the audio timeline starts, samples since, NetEq's adjustment then. */
    private long audioAnchorUs;
    private long audioSamples;
    private long audioAdjustAtAnchor = PlayoutDelays.UNKNOWN;
    /** Measures the audio module's pull rate against the clock (not used for timestamps). */
    private final SampleClock pullClock = new SampleClock();
    private volatile boolean audioClockReset;
    private final PlayoutDelays delays;
    /** The jitter-buffer delay currently subtracted from video timestamps (µs); video thread only. */
    private long videoDelayUs = PlayoutDelays.UNKNOWN;
    private long lastRenderUs;
    private volatile int lastWidth;
    private volatile int lastHeight;

    private final VideoTrackSink videoSink = this::onVideoFrame;
    private final AudioTrackSink audioSink = this::onAudio;

    WebRtcTrackReceiver(PeerSession session, String name) {
        super(name, Retention.RETAINED);
        this.session = session;
        this.delays = new PlayoutDelays(session.name(), session::playoutDelays);
    }

    /** Emits on {@code loop} instead of libwebrtc's threads. Call before starting. */
    public WebRtcTrackReceiver deliverOn(EventLoop loop) {
        this.loop = loop;
        return this;
    }

    @Override
    public void start() {
        audioClockReset = true; // audio after a stop starts a new timeline
        delays.start();
        started = true;
    }

    @Override
    public void stop() {
        started = false;
        delays.close();
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

    /**
     * How far (µs) the audio module's pulls have fallen behind the clock since the audio started
     * (negative: ahead), jitter filtered. It is measured, not used: audio timestamps follow the
     * sender's samples, whatever the pull rate.
     */
    public long audioPullDriftMicros() {
        return pullClock.slewUs();
    }

    /**
     * NetEq's net adjustment of the audio so far, in samples: removed to catch up (accelerate) minus
     * inserted to slow down or conceal an underrun; 0 before the first statistics poll.
     */
    public long audioContentAdjustSamples() {
        long a = delays.audioContentAdjustSamples();
        return a == PlayoutDelays.UNKNOWN ? 0 : a;
    }

    /** How much (µs) video timestamps are currently moved back from libwebrtc's render times. */
    public long videoDelayChangeMicros() {
        long v = delays.videoChangeUs();
        return v == PlayoutDelays.UNKNOWN ? 0 : v;
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
        delays.close();
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
        long timestampUs = frame.timestampNs / 1000; // read before a converted frame is released
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
                b.getDataV(), b.getStrideV(), videoTimestamp(timestampUs), deallocator);
        videoFrames.incrementAndGet();
        deliver(packet, true);
    }

    private void onAudio(byte[] data, int bitsPerSample, int sampleRate, int channels, int frames) {
        if (!started || bitsPerSample != 16) {
            discard(null, started ? DiscardReason.UNSUPPORTED : DiscardReason.INACTIVE); // no packet was made
            return;
        }
        audioFrames.incrementAndGet();
        long nowUs = System.nanoTime() / 1000;
        if (audioClockReset) {
            audioClockReset = false;
            pullClock.reset();
            audioAnchorUs = nowUs;
            audioSamples = 0;
            audioAdjustAtAnchor = delays.audioContentAdjustSamples();
        }
        long adjust = delays.audioContentAdjustSamples();
        long content = audioSamples + (adjust == PlayoutDelays.UNKNOWN ? 0
                : adjust - (audioAdjustAtAnchor == PlayoutDelays.UNKNOWN ? 0 : audioAdjustAtAnchor));
        long ts = audioAnchorUs + Math.round(content * 1_000_000.0 / sampleRate);
        audioSamples += frames;
        pullClock.stamp(frames, sampleRate, nowUs); // measures how far the module's pulls drift from the clock
        deliver(RawAudioFrame.own(data, sampleRate, channels, frames, ts), false);
    }

    /**
     * The render time minus the video jitter-buffer delay, which follows the polled delay by at
     * most 10% of the time between frames (so timestamps keep increasing); the first known delay
     * applies at once.
     */
    private long videoTimestamp(long renderUs) {
        long target = delays.videoChangeUs();
        if (target != PlayoutDelays.UNKNOWN) {
            if (videoDelayUs == PlayoutDelays.UNKNOWN) {
                videoDelayUs = target;
            } else {
                long step = Math.max(0, (renderUs - lastRenderUs) / 10);
                videoDelayUs += Math.max(-step, Math.min(step, target - videoDelayUs));
            }
        }
        lastRenderUs = renderUs;
        return videoDelayUs == PlayoutDelays.UNKNOWN ? renderUs : renderUs - videoDelayUs;
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
