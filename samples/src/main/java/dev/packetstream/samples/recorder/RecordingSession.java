package dev.packetstream.samples.recorder;

import dev.packetstream.av.AudioTimingStats;
import dev.packetstream.av.Container;
import dev.packetstream.av.MultiplexPacketEncoder;
import dev.packetstream.core.media.FrameSize;
import dev.packetstream.signaling.bridge.PeerSignaller;
import dev.packetstream.webrtc.PeerSession;
import dev.packetstream.webrtc.PeerSessionConfig;
import dev.packetstream.webrtc.RtcRuntime;
import dev.packetstream.webrtc.WebRtcTrackReceiver;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One browser's recording: the session that answers its offer, and the stream that writes its
 * camera and microphone to one file.
 *
 * <pre>
 * WebRtcTrackReceiver ──► AsyncPacketQueue("to-file") ──► MultiplexPacketEncoder(file)
 *  (decoded frames, ref-counted;     (retains; one writer        (encodes VP8/Opus or H.264/AAC,
 *   audio on the playout thread)      thread for both tracks)      muxes, trailer on stop)
 * </pre>
 *
 * <h2>Ownership</h2>
 * Received video frames are libwebrtc's native frames wrapped without a copy; the queue retains
 * each one across the thread hop and releases it after the recorder has encoded it (the recorder
 * copies into FFmpeg's frame during the call). Nothing is copied before the encoder.
 *
 * <h2>Finalizing</h2>
 * {@link #finish()} stops the stream (the queue drains, the encoders flush, the trailer is
 * written), closes it, then closes the session (see {@link FileRecording}). It runs once, whichever
 * comes first: the browser's {@code recording: stop} event, the browser leaving or disconnecting,
 * or the program stopping.
 */
public final class RecordingSession extends FileRecording {
    private final PeerSession session;
    private final WebRtcTrackReceiver receiver;

    private RecordingSession(String peerId, Path file, Container container, FrameSize size, PeerSession session,
                             WebRtcTrackReceiver receiver) {
        // A fixed size: browsers start low (320x180 while the bandwidth estimate ramps up) and
        // change resolution as they adapt; the recorder scales every frame to this size.
        super(peerId, file, session::close, session.closedFuture(), "record-" + shortId(peerId), receiver,
                receiver::videoFramesReceived, MultiplexPacketEncoder.builder(file).container(container).videoSize(size.width(), size.height()),
                stream -> { });
        this.session = session;
        this.receiver = receiver;
    }

    /** Answers {@code peerId}'s offer on a new session of {@code runtime} and starts writing {@code file}. */
    static RecordingSession start(String peerId, Path file, Container container, FrameSize size, RtcRuntime runtime,
                                  PeerSessionConfig config, PeerSignaller signaller) {
        PeerSession session = runtime.newSession("rec-" + shortId(peerId), config, signaller);
        return new RecordingSession(peerId, file, container, size, session, session.newReceiver("from-browser"));
    }

    public PeerSession session() {
        return session;
    }

    /** What the recorder did to keep the audio on the clock: stretched, squeezed, silence, drops. */
    public AudioTimingStats audioTiming() {
        return muxer().audioTiming();
    }

    /** The receiver's timing corrections: see {@link WebRtcTrackReceiver#audioContentAdjustSamples()}. */
    public WebRtcTrackReceiver receiver() {
        return receiver;
    }

    /** Frames the queue dropped because the writer fell behind. */
    public long framesDropped() {
        return queueDropped();
    }

    @Override
    protected String summary() {
        return String.format(Locale.ROOT, "%d video packets, %d audio packets; queue dropped %d; audio module pulls drifted"
                + " %d ms, NetEq adjusted audio by %d samples, video delay changed %d ms; %s", muxer().videoPacketsWritten(),
                muxer().audioPacketsWritten(), queueDropped(), receiver.audioPullDriftMicros() / 1000,
                receiver.audioContentAdjustSamples(), receiver.videoDelayChangeMicros() / 1000, muxer().audioTiming());
    }
}
