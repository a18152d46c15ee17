package dev.packetstream.samples.wire;

import dev.packetstream.samples.LoadReceivers;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What one viewer counts from the SRTP packets it receives (RTP headers are in the clear): video
 * frames (a new RTP timestamp of the video payload type) from the first keyframe on, as a
 * depayloader waiting for a keyframe counts them (the frames before are counted apart, and each
 * asks for a keyframe with a PLI, at most one per 500 ms, as a browser would), keyframes
 * (from the decrypted start of each frame's first packet: the VP8 payload descriptor and payload
 * header, or the H.264 NAL type), audio packets, frames missing from the timestamp gaps
 * (90 kHz, the stream's nominal frame rate) and packets missing from the sequence numbers. Each
 * frame's first packet is authenticated (HMAC-SHA1-80 over the whole packet); other packets are
 * counted from their headers only. RTCP, other payload types (RTX) and video packets with the
 * padding bit (libwebrtc's bandwidth probes) are not counted as frames.
 *
 * <p>{@link #onRtp} runs on the receive thread; the counters may be read from any thread.
 */
final class RtpCounter {
    private static final int PREFIX = 32;

    final AtomicLong frames = new AtomicLong();
    final AtomicLong keyframes = new AtomicLong();
    final AtomicLong audio = new AtomicLong();
    final AtomicLong missingFrames = new AtomicLong();
    final AtomicLong missingPackets = new AtomicLong();
    final AtomicLong authFailures = new AtomicLong();
    /** Video packets with the padding bit, not counted as frames. */
    final AtomicLong padding = new AtomicLong();
    /** PLIs sent (before the first keyframe, at most one per 500 ms). */
    final AtomicLong keyframeRequests = new AtomicLong();
    /** Frames received before the first keyframe, not counted. */
    final AtomicLong beforeFirstKeyframe = new AtomicLong();
    volatile Boolean firstWasKeyframe;

    private final int videoPt;
    private final boolean h264;
    private final int audioPt;
    private final double ticksPerFrame;
    private final SrtpDecryptor srtp;
    private final Stream video = new Stream();
    private final Stream sound = new Stream();
    private final byte[] prefix = new byte[PREFIX];
    private long lastTimestamp = -1;

    /** Sequence numbers and the SRTP index of one SSRC. */
    private final class Stream {
        final SrtpIndex index = new SrtpIndex();
        long ssrc = -1;
        int lastSeq = -1;

        /** The packet's SRTP index; counts the packets skipped since the last one. */
        long take(long packetSsrc, int seq) {
            if (packetSsrc != ssrc) { // a new stream (or the first): start over
                ssrc = packetSsrc;
                lastSeq = -1;
                index.reset();
            }
            long i = index.estimate(seq);
            if (lastSeq >= 0) {
                int gap = (seq - lastSeq) & 0xffff;
                if (gap > 1 && gap < 0x8000) {
                    missingPackets.addAndGet(gap - 1);
                }
                if (gap != 0 && gap < 0x8000) {
                    lastSeq = seq;
                }
            } else {
                lastSeq = seq;
            }
            index.update(i);
            return i;
        }
    }

    /** Asks the relay for a keyframe of the video stream {@code ssrc} (sends a PLI). */
    interface KeyframeRequester {
        void request(long ssrc);
    }

    private final KeyframeRequester keyframeRequester;
    private long lastRequestNanos;

    RtpCounter(SrtpDecryptor srtp, int videoPt, String videoCodec, int audioPt, double fps, KeyframeRequester keyframeRequester) {
        this.srtp = srtp;
        this.keyframeRequester = keyframeRequester;
        this.videoPt = videoPt;
        this.h264 = "H264".equals(videoCodec);
        this.audioPt = audioPt;
        this.ticksPerFrame = 90_000 / fps;
    }

    /** One SRTP or SRTCP datagram {@code b[0, length)}. */
    void onRtp(byte[] b, int length) {
        if (length < 12 + SrtpDecryptor.TAG_LENGTH) {
            return;
        }
        int pt = b[1] & 0x7f;
        if (pt >= 64 && pt <= 95) {
            return; // RTCP (RFC 5761: packet types 192-223)
        }
        int cc = b[0] & 0x0f;
        int offset = 12 + 4 * cc;
        if ((b[0] & 0x10) != 0) {
            if (offset + 4 > length) {
                return;
            }
            offset += 4 + 4 * StunResponder.readShort(b, offset + 2);
        }
        int payload = length - SrtpDecryptor.TAG_LENGTH - offset;
        if (payload <= 0) {
            return;
        }
        int seq = StunResponder.readShort(b, 2);
        long ssrc = StunResponder.readInt(b, 8) & 0xffffffffL;
        if (pt == audioPt) {
            sound.take(ssrc, seq);
            audio.incrementAndGet();
        } else if (pt == videoPt) {
            long index = video.take(ssrc, seq);
            if ((b[0] & 0x20) != 0) {
                // padding (libwebrtc pads on the media SSRC when there is no RTX, with timestamps of its own): no frame
                padding.incrementAndGet();
                return;
            }
            long timestamp = StunResponder.readInt(b, 4) & 0xffffffffL;
            if (timestamp != lastTimestamp) {
                newFrame(b, length, offset, payload, ssrc, index, timestamp);
            }
        }
    }

    private void newFrame(byte[] b, int length, int offset, int payload, long ssrc, long index, long timestamp) {
        if (!srtp.authentic(b, length, SrtpIndex.rolloverCounter(index))) {
            authFailures.incrementAndGet();
            return;
        }
        int n = Math.min(PREFIX, payload);
        srtp.decryptPrefix(b, offset, n, ssrc, index, prefix);
        boolean key = h264 ? h264Keyframe(prefix, n) : vp8Keyframe(prefix, n);
        if (firstWasKeyframe == null) {
            if (!key) {
                // as a depayloader waiting for a keyframe (the GStreamer receivers' wait-for-keyframe) or a
                // decoder would: the frames before the first keyframe (or whose start came before the keys) are
                // not counted
                lastTimestamp = timestamp;
                beforeFirstKeyframe.incrementAndGet();
                long now = System.nanoTime();
                if (lastRequestNanos == 0 || now - lastRequestNanos > 500_000_000L) {
                    // a browser's decoder asks too: the relay's first keyframe may have gone out before our DTLS-SRTP keys
                    lastRequestNanos = now;
                    keyframeRequests.incrementAndGet();
                    keyframeRequester.request(ssrc);
                }
                return;
            }
            firstWasKeyframe = true;
        }
        if (key) {
            keyframes.incrementAndGet();
        }
        if (lastTimestamp >= 0) {
            long ticks = (timestamp - lastTimestamp) & 0xffffffffL;
            if (ticks < 0x80000000L) { // forward in time (RTP time stamps wrap)
                missingFrames.addAndGet(LoadReceivers.framesSkipped(ticks / ticksPerFrame));
            }
        }
        lastTimestamp = timestamp;
        frames.incrementAndGet();
    }

    /** RFC 7741: the payload descriptor, then (at a partition's start) the VP8 frame tag's P bit, 0 for a keyframe. */
    static boolean vp8Keyframe(byte[] p, int n) {
        int b0 = p[0] & 0xff;
        boolean start = (b0 & 0x10) != 0 && (b0 & 0x07) == 0;
        int i = 1;
        if ((b0 & 0x80) != 0) {
            int x = p[1] & 0xff;
            i = 2;
            if ((x & 0x80) != 0) {
                i += (p[i] & 0x80) != 0 ? 2 : 1;
            }
            if ((x & 0x40) != 0) {
                i++;
            }
            if ((x & 0x30) != 0) {
                i++;
            }
        }
        return start && i < n && (p[i] & 0x01) == 0;
    }

    /** RFC 6184: an IDR slice or an SPS first (single NAL, first of a STAP-A, or the start of an FU-A). */
    static boolean h264Keyframe(byte[] p, int n) {
        int type = p[0] & 0x1f;
        if (type == 24 && n > 3) {
            type = p[3] & 0x1f;
        } else if (type == 28 && n > 1) {
            type = (p[1] & 0x80) != 0 ? p[1] & 0x1f : 0;
        }
        return type == 5 || type == 7;
    }
}
