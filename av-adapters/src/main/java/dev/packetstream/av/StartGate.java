package dev.packetstream.av;

import dev.packetstream.core.Packet;
import dev.packetstream.core.media.EncodedAudioPacket;
import dev.packetstream.core.media.EncodedVideoPacket;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Decides when a recording may start and which packets it starts with (pure Java, no FFmpeg).
 *
 * <p>Video may start the file only at a keyframe; earlier video packets are refused. Packets that
 * arrive before the start are held (as copies) until the first video keyframe and the first audio
 * packet have both arrived, or until a track has not shown up within {@link #MISSING_TRACK_WAIT_US}
 * of held media, or until the recording is stopped ({@link #ready(boolean) ready(true)}). Then
 * {@link #start()} hands the held packets back in timestamp order and fixes the file's time zero:
 * the first video keyframe's timestamp, or the first audio packet's when there is no video.
 *
 * <h2>Ownership and threads</h2>
 * Not thread-safe: the recorder calls it under its own lock. Held packets are copies owned by the
 * gate until {@link #start()} or {@link #drain()} hands them back.
 */
final class StartGate {
    /** How much media (µs between the first and the last held packet) a missing track is waited for. */
    static final long MISSING_TRACK_WAIT_US = 3_000_000;

    private final boolean expectVideo;
    private final boolean expectAudio;
    private final List<Packet> pending = new ArrayList<>();
    private EncodedVideoPacket videoTemplate;
    private EncodedAudioPacket audioTemplate;
    private boolean open;
    private long startUs;

    StartGate(boolean expectVideo, boolean expectAudio) {
        this.expectVideo = expectVideo;
        this.expectAudio = expectAudio;
    }

    /** True once {@link #start()} ran: packets now go straight to the file. */
    boolean isOpen() {
        return open;
    }

    /** The file's time zero (µs on the packets' clock); valid once open. */
    long startUs() {
        return startUs;
    }

    /** True while no video packet has been accepted, i.e. the next accepted one starts the video track. */
    boolean awaitsVideo() {
        return videoTemplate == null;
    }

    /** True while no audio packet has been accepted. */
    boolean awaitsAudio() {
        return audioTemplate == null;
    }

    /** The first video keyframe accepted (a copy), or null. */
    EncodedVideoPacket videoTemplate() {
        return videoTemplate;
    }

    /** The first audio packet accepted (a copy), or null. */
    EncodedAudioPacket audioTemplate() {
        return audioTemplate;
    }

    /**
     * Holds a copy of {@code p} until the start.
     *
     * @return false, holding nothing, when {@code p} is a delta frame before the first keyframe
     */
    boolean hold(EncodedVideoPacket p) {
        requireClosed();
        if (videoTemplate == null) {
            if (!p.isKeyframe()) {
                return false;
            }
            videoTemplate = p.copy();
        }
        pending.add(p.copy());
        return true;
    }

    /** Holds a copy of {@code p} until the start. */
    void hold(EncodedAudioPacket p) {
        requireClosed();
        if (audioTemplate == null) {
            audioTemplate = p.copy();
        }
        pending.add(p.copy());
    }

    /**
     * Whether the file can start now: every expected track has shown up, or one has and the other
     * is {@linkplain #missingTrack() missing} after {@link #MISSING_TRACK_WAIT_US} of media, or
     * {@code force} (the stream stops) and at least one track has shown up.
     */
    boolean ready(boolean force) {
        if (videoTemplate == null && audioTemplate == null) {
            return false;
        }
        return force || missingTrack() == null || heldSpanUs() >= MISSING_TRACK_WAIT_US;
    }

    /** "video" or "audio" when an expected track has not shown up yet, else null. */
    String missingTrack() {
        if (expectVideo && videoTemplate == null) {
            return "video";
        }
        if (expectAudio && audioTemplate == null) {
            return "audio";
        }
        return null;
    }

    /** Opens the gate: fixes the time zero and returns the held packets in timestamp order (the caller owns them). */
    List<Packet> start() {
        requireClosed();
        if (videoTemplate == null && audioTemplate == null) {
            throw new IllegalStateException("the recording cannot start before a packet has arrived");
        }
        startUs = videoTemplate != null ? videoTemplate.ptsUs() : audioTemplate.ptsUs();
        open = true;
        List<Packet> waiting = new ArrayList<>(pending);
        pending.clear();
        waiting.sort(Comparator.comparingLong(StartGate::ts));
        return waiting;
    }

    /** Returns the held packets (the caller owns them) and leaves the gate as it is. */
    List<Packet> drain() {
        List<Packet> held = new ArrayList<>(pending);
        pending.clear();
        return held;
    }

    /** Back to the initial state for a new file (held packets must have been drained). */
    void reset() {
        pending.clear();
        videoTemplate = null;
        audioTemplate = null;
        open = false;
        startUs = 0;
    }

    private long heldSpanUs() {
        return pending.isEmpty() ? 0 : ts(pending.get(pending.size() - 1)) - ts(pending.get(0));
    }

    private void requireClosed() {
        if (open) {
            throw new IllegalStateException("the recording has started; packets go to the file, not the start gate");
        }
    }

    /** The instant a packet is ordered by: a video packet's decode time, an audio packet's presentation time. */
    static long ts(Packet p) {
        return p instanceof EncodedVideoPacket v ? v.dtsUs() : ((EncodedAudioPacket) p).ptsUs();
    }
}
