package dev.packetstream.samples.common;

import dev.packetstream.webrtc.encoded.EncodedRuntime;
import dev.packetstream.webrtc.encoded.EncodedSessionConfig;
import java.util.concurrent.CompletableFuture;

/**
 * One source to every viewer page on the encoded path (GStreamer webrtcbin): the source is encoded
 * once (a Java source) or not at all (a browser publisher, relayed as it sends), and every viewer
 * gets the same packets through the SDK's fan-out, video and audio. Used by {@code relay} (its
 * default) and by {@code webcam-to-browser --encode-once}.
 *
 * <pre>
 * MediaCapture ─► encode once (VP8/H.264 + Opus) ─┐
 *                                                 ├─► EncodedFanout ─┬─► viewer 1: EncodedTrackSender (own session, own queue)
 * publisher page ─► EncodedTrackReceiver ─────────┘   (one copy)      ├─► viewer 2 ...
 *                                                                     └─► ...
 * </pre>
 *
 * <h2>What it gives up</h2>
 * One encoding for all: every viewer gets the same bitrate and resolution. libwebrtc's per-viewer
 * encoders follow each viewer's bandwidth estimate; here a viewer whose link cannot carry the
 * stream loses packets (NACK/RTX repairs what it can) or, when its queue fills, drops to the next
 * keyframe. In exchange the CPU cost of a viewer is a queue and RTP packetization, not an encoder.
 *
 * <h2>Threads</h2>
 * The capture thread (Java source) or GStreamer's streaming threads (browser publisher) run the
 * fan-out; the viewers' control thread opens and closes sessions; the signaling client's thread
 * routes the room.
 */
public final class EncodedBroadcast implements RoomSample {
    private final String label;
    private final EncodedRuntime runtime;
    private final EncodedViewers viewers;
    private final EncodedSource source;
    private final EncodedPublisher publisher;
    private final HostedRoom room;
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private volatile boolean closed;

    /** Viewer queue: about 2 s of 30 fps video and Opus per track. */
    private static final int QUEUE_LIMIT = 150;

    private EncodedBroadcast(String label, String role, ServerOptions options, SourceOptions sourceOptions, WebRtcOptions rtc) {
        this.label = label;
        this.room = new HostedRoom(options, role);
        this.runtime = new EncodedRuntime(label); // fails here, with the packages to install, when GStreamer is missing
        EncodedSessionConfig config = EncodedSessionConfig.builder().loopbackOnly(options.loopback).videoCodecs(rtc.codec).build();
        this.viewers = new EncodedViewers(label + "-viewers", "viewer", runtime, config, QUEUE_LIMIT);
        EncodedSource s = null;
        EncodedPublisher p = null;
        try {
            if (sourceOptions == null) {
                p = new EncodedPublisher(runtime, config, viewers);
            } else {
                s = new EncodedSource(sourceOptions, rtc.codec, rtc.maxBitrateKbps * 1000L, viewers.fanout());
                EncodedSource src = s;
                viewers.fanout().onKeyframeRequest(reason -> src.requestKeyframe());
                viewers.sourceCodec(rtc.codec);
            }
        } catch (RuntimeException e) {
            viewers.close();
            runtime.close();
            throw e;
        }
        this.source = s;
        this.publisher = p;
        try {
            // the room is routed: viewers to the fan-out, a publisher's offer (if any) to the publisher
            room.open(new PublisherRouting(viewers, publisher));
            if (source != null) {
                source.start();
                source.capture().finished().whenComplete((v, e) -> {
                    if (e != null) {
                        finished.completeExceptionally(e);
                    } else {
                        finished.complete(null);
                    }
                });
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Starts a broadcast of a Java source ({@code source} non-null: encoded once with
     * {@code rtc.codec} at {@code rtc.maxBitrateKbps}) or of a browser publisher ({@code source}
     * null: whoever opens {@link #publisherPage()}, relayed in the codec it sends, which
     * {@code rtc.codec} picks). The sample joins the room as {@code role}.
     *
     * @throws dev.packetstream.webrtc.encoded.GstMissingException when GStreamer or one of its plugins is missing
     */
    public static EncodedBroadcast start(String label, String role, ServerOptions options, SourceOptions source, WebRtcOptions rtc) {
        return new EncodedBroadcast(label, role, options, source, rtc);
    }

    @Override
    public HostedRoom room() {
        return room;
    }

    public boolean browserPublisher() {
        return publisher != null;
    }

    public EncodedViewers viewers() {
        return viewers;
    }

    /** The browser publisher's ingress, or null for a Java source. */
    public EncodedPublisher publisher() {
        return publisher;
    }

    /** The Java source, or null for a browser publisher. */
    public EncodedSource source() {
        return source;
    }

    public EncodedRuntime runtime() {
        return runtime;
    }

    @Override
    public CompletableFuture<Void> finished() {
        return finished;
    }

    @Override
    public String statusLine() {
        String in = source != null ? source.describe() : publisher.describe();
        double fps = source != null ? source.framesPerSecond() : publisher.framesPerSecond();
        return label + " · " + in + " · " + Formats.fps(fps) + " · " + viewers.viewerCount() + " viewer(s) · encoded once, "
                + viewers.fanout().keyframeRequests() + " keyframe request(s)";
    }

    /** Leaves the room, stops the source, closes the viewers, the runtime and the server. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        room.leave();
        if (source != null) {
            source.close();
        }
        if (publisher != null) {
            publisher.close();
        }
        viewers.close();
        runtime.close();
        room.close();
    }
}
