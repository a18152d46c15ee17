package dev.packetstream.samples.recorder;

import dev.packetstream.core.Packet;
import dev.packetstream.core.PacketProcessor;
import dev.packetstream.core.Retention;
import dev.packetstream.core.media.AudioCodec;
import dev.packetstream.core.media.EncodedAudioPacket;
import dev.packetstream.core.media.EncodedVideoPacket;
import dev.packetstream.core.media.VideoCodec;
import java.io.ByteArrayOutputStream;

/**
 * Gives media received over WebRTC the codec headers a file needs, which RTP does not carry:
 * <ul>
 *   <li>H.264: browsers send the parameter sets (SPS, PPS) in band before each keyframe, while MP4
 *       wants them in its header. The first keyframe that carries both is passed on as a copy with
 *       them as extradata (Annex-B, which FFmpeg's MP4 muxer turns into its avcC box).</li>
 *   <li>Opus: MP4 and Matroska want an identification header ({@code OpusHead}: channels, pre-skip,
 *       rate). The first Opus packet is passed on as a copy carrying one (48 kHz, no pre-skip,
 *       no gain, mapping family 0).</li>
 * </ul>
 * The muxer reads the header from the first packet of each track; every other packet passes as it
 * is (video before that keyframe too: the recorder drops video until its first keyframe).
 *
 * <h2>Ownership and threads</h2>
 * {@link Retention#BORROWED}: the one packet of each track that is copied, is copied during the
 * call. One thread at a time (after the recorder's queue).
 */
final class RemuxHeaders extends PacketProcessor {
    /**
     * No pre-skip: the recording starts mid-stream, where the RTP timestamps are the presentation
     * times (a pre-skip would cut the start of the audio and move it against the video).
     */
    static final int OPUS_PRE_SKIP = 0;

    private byte[] extradata;
    private boolean opusHeaderSent;

    RemuxHeaders(String name) {
        super(name, Retention.BORROWED);
    }

    @Override
    public boolean accepts(Packet packet) {
        return packet instanceof EncodedVideoPacket v && v.codec() == VideoCodec.H264
                || packet instanceof EncodedAudioPacket a && a.codec() == AudioCodec.OPUS;
    }

    @Override
    public void process(Packet packet) {
        if (packet instanceof EncodedAudioPacket a) {
            if (opusHeaderSent || a.extradata() != null) {
                emit(packet);
                return;
            }
            opusHeaderSent = true;
            emit(EncodedAudioPacket.own(a.codec(), a.toByteArray(), a.ptsUs(), a.sampleRate(), a.channels(), a.samples(),
                    opusHead(a.channels())));
            return;
        }
        EncodedVideoPacket v = (EncodedVideoPacket) packet;
        if (extradata != null || v.extradata() != null || !v.isKeyframe()) {
            emit(packet);
            return;
        }
        byte[] data = v.toByteArray();
        byte[] sets = parameterSets(data);
        if (sets == null) {
            emit(packet);
            return;
        }
        extradata = sets;
        emit(EncodedVideoPacket.own(v.codec(), data, true, v.ptsUs(), v.dtsUs(), v.width(), v.height(), sets));
    }

    /** Whether the H.264 parameter sets were found. */
    boolean foundParameterSets() {
        return extradata != null;
    }

    /** An OpusHead identification header (RFC 7845, section 5.1) for {@code channels} at 48 kHz, mapping family 0. */
    static byte[] opusHead(int channels) {
        byte[] h = new byte[19];
        byte[] magic = "OpusHead".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, h, 0, 8);
        h[8] = 1; // version
        h[9] = (byte) channels;
        h[10] = (byte) (OPUS_PRE_SKIP & 0xff);
        h[11] = (byte) (OPUS_PRE_SKIP >> 8);
        int rate = 48_000;
        h[12] = (byte) rate;
        h[13] = (byte) (rate >> 8);
        h[14] = (byte) (rate >> 16);
        h[15] = (byte) (rate >> 24);
        // output gain 0 (bytes 16-17), channel mapping family 0 (byte 18)
        return h;
    }

    /** The SPS and PPS NAL units of an Annex-B access unit, each after a 4-byte start code; null without both. */
    static byte[] parameterSets(byte[] au) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean sps = false;
        boolean pps = false;
        int i = nextStart(au, 0);
        while (i >= 0) {
            int payload = i + (au[i + 2] == 1 ? 3 : 4);
            int next = nextStart(au, payload);
            int end = next < 0 ? au.length : next;
            if (payload < end) {
                int type = au[payload] & 0x1f;
                if (type == 7 || type == 8) {
                    sps |= type == 7;
                    pps |= type == 8;
                    out.write(0);
                    out.write(0);
                    out.write(0);
                    out.write(1);
                    out.write(au, payload, end - payload);
                }
            }
            i = next;
        }
        return sps && pps ? out.toByteArray() : null;
    }

    /** Index of the next start code (00 00 01 or 00 00 00 01) at or after {@code from}, or -1. */
    private static int nextStart(byte[] b, int from) {
        for (int i = from; i + 2 < b.length; i++) {
            if (b[i] == 0 && b[i + 1] == 0) {
                if (b[i + 2] == 1) {
                    return i;
                }
                if (i + 3 < b.length && b[i + 2] == 0 && b[i + 3] == 1) {
                    return i;
                }
            }
        }
        return -1;
    }
}
