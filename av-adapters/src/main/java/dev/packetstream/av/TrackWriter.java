package dev.packetstream.av;

import dev.packetstream.core.DiscardReason;
import dev.packetstream.core.Packet;
import dev.packetstream.core.media.EncodedAudioPacket;
import dev.packetstream.core.media.EncodedVideoPacket;
import java.nio.ByteBuffer;
import java.util.function.BiConsumer;

/**
 * Puts the recorder's packets on the file's tracks once it has started: times made relative to the
 * file's start, video at its timestamps, audio by {@link EncodedAudioPlacement}, each handed to the
 * {@link Muxer}. What cannot be written goes to the stage's discard with its reason: a track the
 * file was started without ({@code UNSUPPORTED}), before the start ({@code BEFORE_START}),
 * overlapping audio ({@code OUT_OF_ORDER}), after a failed write ({@code FAILED}). Counts what it
 * wrote.
 *
 * <p>Not thread-safe: the recorder calls it under its own lock; the counters may be read from any
 * thread.
 */
final class TrackWriter {
    private final Muxer muxer;
    private final BiConsumer<Packet, DiscardReason> discard;
    private final EncodedAudioPlacement audioPlacement = new EncodedAudioPlacement();
    private volatile long videoPackets;
    private volatile long audioPackets;
    private volatile long lastWrittenUs = -1;

    TrackWriter(Muxer muxer, BiConsumer<Packet, DiscardReason> discard) {
        this.muxer = muxer;
        this.discard = discard;
    }

    /** Writes a video packet at its time from {@code startUs} (the file's time zero). */
    void write(EncodedVideoPacket p, long startUs) {
        if (!muxer.hasVideoStream()) {
            discard.accept(p, DiscardReason.UNSUPPORTED); // the file was started without video
            return;
        }
        long pts = p.ptsUs() - startUs;
        long dts = p.dtsUs() - startUs;
        if (dts < 0) {
            discard.accept(p, DiscardReason.BEFORE_START);
            return;
        }
        writePacket(p, true, p.data(), pts, dts, 0, p.isKeyframe());
        videoPackets++;
        lastWrittenUs = Math.max(lastWrittenUs, pts);
    }

    /** Writes an audio packet where {@link EncodedAudioPlacement} puts it, from {@code startUs} (the file's time zero). */
    void write(EncodedAudioPacket p, long startUs) {
        if (!muxer.hasAudioStream()) {
            discard.accept(p, DiscardReason.UNSUPPORTED); // the file was started without audio
            return;
        }
        int rate = p.sampleRate();
        long pts = Math.round((p.ptsUs() - startUs) * (double) rate / 1_000_000);
        if (pts < 0) {
            discard.accept(p, DiscardReason.BEFORE_START);
            return;
        }
        pts = audioPlacement.place(pts, p.samples(), rate);
        if (pts < 0) {
            discard.accept(p, DiscardReason.OUT_OF_ORDER); // overlaps audio already written
            return;
        }
        long ptsUs = pts * 1_000_000 / rate;
        long duration = (long) p.samples() * 1_000_000 / rate;
        writePacket(p, false, p.data(), ptsUs, ptsUs, duration, true);
        audioPackets++;
        lastWrittenUs = Math.max(lastWrittenUs, ptsUs);
    }

    private void writePacket(Packet p, boolean video, ByteBuffer data, long ptsUs, long dtsUs, long durationUs, boolean key) {
        if (muxer.failed()) {
            discard.accept(p, DiscardReason.FAILED);
            return;
        }
        muxer.write(video, data, ptsUs, dtsUs, durationUs, key);
    }

    /** A new file: the next audio packet starts the audio track. The counters keep counting. */
    void reset() {
        audioPlacement.reset();
    }

    long videoPackets() {
        return videoPackets;
    }

    long audioPackets() {
        return audioPackets;
    }

    long lastWrittenUs() {
        return lastWrittenUs;
    }

    EncodedAudioPlacement audioPlacement() {
        return audioPlacement;
    }
}
