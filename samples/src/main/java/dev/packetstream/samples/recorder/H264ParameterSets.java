package dev.packetstream.samples.recorder;

import dev.packetstream.core.Packet;
import dev.packetstream.core.PacketProcessor;
import dev.packetstream.core.Retention;
import dev.packetstream.core.media.EncodedVideoPacket;
import dev.packetstream.core.media.VideoCodec;
import java.io.ByteArrayOutputStream;

/**
 * Gives H.264 received over WebRTC the extradata an MP4 file needs: browsers send the parameter
 * sets (SPS, PPS) in band before each keyframe and no extradata, while MP4 wants them in its
 * header. The first keyframe that carries both is passed on as a copy with them as extradata
 * (Annex-B, which FFmpeg's MP4 muxer turns into its avcC box); every other packet passes as it is.
 * Packets before that keyframe pass too (the recorder drops video until its first keyframe).
 *
 * <h2>Ownership and threads</h2>
 * {@link Retention#BORROWED}: the keyframe's bytes are copied during the call. One thread at a time
 * (after the recorder's queue).
 */
final class H264ParameterSets extends PacketProcessor {
    private byte[] extradata;

    H264ParameterSets(String name) {
        super(name, Retention.BORROWED);
    }

    @Override
    public boolean accepts(Packet packet) {
        return packet instanceof EncodedVideoPacket v && v.codec() == VideoCodec.H264;
    }

    @Override
    public void process(Packet packet) {
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

    /** Whether the parameter sets were found (the recording's header can be written). */
    boolean found() {
        return extradata != null;
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
