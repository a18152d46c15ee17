package dev.packetstream.samples.wire;

import java.security.SecureRandom;

/**
 * The one RTCP message a load viewer sends, as a browser does when its first video frame is no
 * keyframe: a Picture Loss Indication (RFC 4585 6.3.1) in a compound packet after an empty
 * receiver report, protected as SRTCP (RFC 3711 3.4: AES-CM from the 9th byte on, E flag and index,
 * HMAC-SHA1-80) with the DTLS client's keys. Not thread-safe: used by the receive thread.
 */
final class PictureLossIndication {
    private static final int PLAIN = 8 + 12;

    private final SrtpDecryptor srtcp;
    private final long senderSsrc = new SecureRandom().nextInt() & 0xffffffffL;
    private int index;

    /** @param clientKey the DTLS client's SRTP master key, @param clientSalt its salt */
    PictureLossIndication(byte[] clientKey, byte[] clientSalt) {
        this.srtcp = SrtpDecryptor.srtcpFromMaster(clientKey, clientSalt);
    }

    /** A protected PLI for the video stream {@code mediaSsrc}. */
    byte[] next(long mediaSsrc) {
        byte[] plain = new byte[PLAIN];
        // receiver report, no report blocks: V=2, RC=0, PT=201, length 1 (words - 1)
        plain[0] = (byte) 0x80;
        plain[1] = (byte) 201;
        plain[3] = 1;
        putInt(plain, 4, senderSsrc);
        // PLI: V=2, FMT=1, PT=206 (payload-specific feedback), length 2
        plain[8] = (byte) 0x81;
        plain[9] = (byte) 206;
        plain[11] = 2;
        putInt(plain, 12, senderSsrc);
        putInt(plain, 16, mediaSsrc);
        int i = ++index & 0x7fffffff;
        byte[] out = new byte[PLAIN + 4 + SrtpDecryptor.TAG_LENGTH];
        System.arraycopy(plain, 0, out, 0, 8);
        byte[] encrypted = new byte[PLAIN - 8];
        srtcp.decryptPrefix(plain, 8, PLAIN - 8, senderSsrc, i, encrypted); // AES-CM: the same keystream XOR encrypts
        System.arraycopy(encrypted, 0, out, 8, encrypted.length);
        putInt(out, PLAIN, 0x80000000L | i); // E flag: encrypted
        srtcp.sign(out, PLAIN + 4);
        return out;
    }

    private static void putInt(byte[] b, int at, long v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
