package dev.packetstream.samples.common;

import dev.packetstream.webrtc.PeerSessionConfig;
import dev.packetstream.webrtc.RtcRuntime;

/**
 * The libwebrtc relay's parts, shared by {@code relay --transcode} and {@code detect}: one
 * {@link RtcRuntime}, the decoded {@link Ingress} (a Java source, or a browser publisher received
 * on that runtime), the {@link ViewerRoom} whose fan-out the caller attaches where it needs it, and
 * the room that routes viewers and the publisher's offer ({@link PublisherRouting}).
 *
 * <h2>Order</h2>
 * Construct, attach the fan-out and any branches to {@link #ingress()}'s stream, {@link #join}
 * the room, start the ingress. {@link #close()} closes the ingress, leaves the room, closes the
 * viewers and the runtime, and stops the server last; {@link #leave()} before it leaves the room
 * first.
 */
public final class DecodedRelay implements AutoCloseable {
    private final RtcRuntime runtime;
    private final Ingress ingress;
    private final ViewerRoom viewers;
    private final HostedRoom room;

    /**
     * Creates the runtime {@code name}, the room the sample will join as {@code role}, the ingress ({@code browserPublisher}: sessions on that
     * runtime; else a capture of {@code source}) and the viewers {@code name + "-viewers"}, video only.
     *
     * @throws RuntimeException when libwebrtc does not load or the source cannot open (nothing is left open)
     */
    public DecodedRelay(String name, String role, ServerOptions options, SourceOptions source, boolean browserPublisher,
                        WebRtcOptions rtc) {
        this.room = new HostedRoom(options, role);
        this.runtime = new RtcRuntime(name);
        PeerSessionConfig config = rtc.sessionConfig(options.loopback);
        try {
            this.ingress = browserPublisher ? Ingress.browser(runtime, PeerSessionConfig.builder().loopbackOnly(options.loopback).build())
                    : Ingress.capture(source);
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
        this.viewers = new ViewerRoom(name + "-viewers", "viewer", runtime, config, rtc.media(false, 0));
    }

    /** Starts the server and joins the room; viewers and the publisher are routed from then on. */
    public void join() {
        room.open(new PublisherRouting(viewers, ingress));
    }

    public Ingress ingress() {
        return ingress;
    }

    public ViewerRoom viewers() {
        return viewers;
    }

    /** The server and the room (open after {@link #join}). */
    public HostedRoom room() {
        return room;
    }

    public boolean browserPublisher() {
        return ingress.fromBrowser();
    }

    /** The status line's common part: what feeds the ingress, its rate, the viewers and their bitrate. */
    public String status() {
        viewers.refreshStats();
        return ingress.describe() + " · " + Formats.fps(ingress.framesPerSecond()) + " in · " + viewers.viewerCount()
                + " viewer(s) · " + Formats.bitrate(viewers.videoBitrateBps());
    }

    /** Leaves the room (if joined). Idempotent. */
    public void leave() {
        room.leave();
    }

    /** Closes the ingress, leaves the room, closes the viewers and the runtime, stops the server. Call once. */
    @Override
    public void close() {
        ingress.close();
        leave();
        viewers.close();
        runtime.close();
        room.close();
    }
}
