package dev.packetstream.samples.wire;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SRTP receive side for AES_CM_128_HMAC_SHA1_80 (RFC 3711), as a load viewer needs it: the session
 * keys derived from the DTLS-SRTP master key and salt (key derivation rate 0), then per packet the
 * AES counter-mode keystream of only a prefix of the payload (what a viewer inspects: the VP8
 * payload descriptor or the H.264 NAL header) and the HMAC-SHA1 tag of the whole packet.
 *
 * <p>Not thread-safe: one instance per viewer, used by its receive thread.
 */
final class SrtpDecryptor {
    /** Bytes of the authentication tag of AES_CM_128_HMAC_SHA1_80. */
    static final int TAG_LENGTH = 10;

    private final byte[] sessionSalt;
    private final byte[] authKey;
    private final Cipher aes;
    private final Mac hmac;
    private final byte[] counter = new byte[16];
    private final byte[] keystream = new byte[16];
    private final byte[] rocBytes = new byte[4];
    private final byte[] tag = new byte[20];

    /** From the sender's 16-byte master key and 14-byte master salt (from the DTLS exporter). */
    static SrtpDecryptor fromMaster(byte[] masterKey, byte[] masterSalt) {
        return new SrtpDecryptor(derive(masterKey, masterSalt, 0, 16), derive(masterKey, masterSalt, 2, 14),
                derive(masterKey, masterSalt, 1, 20));
    }

    /** The SRTCP keys (labels 3, 4, 5) of a master key and salt: AES-CM and HMAC as for SRTP (RFC 3711 3.4). */
    static SrtpDecryptor srtcpFromMaster(byte[] masterKey, byte[] masterSalt) {
        return new SrtpDecryptor(derive(masterKey, masterSalt, 3, 16), derive(masterKey, masterSalt, 5, 14),
                derive(masterKey, masterSalt, 4, 20));
    }

    /** Writes the first {@link #TAG_LENGTH} bytes of HMAC-SHA1 of {@code b[0, length)} at {@code b[length]}. */
    void sign(byte[] b, int length) {
        hmac.update(b, 0, length);
        try {
            hmac.doFinal(tag, 0);
        } catch (javax.crypto.ShortBufferException e) {
            throw new IllegalStateException(e);
        }
        System.arraycopy(tag, 0, b, length, TAG_LENGTH);
    }

    /** From session keys already derived (the test vectors of RFC 3711 B.2 start there). */
    SrtpDecryptor(byte[] sessionKey, byte[] sessionSalt, byte[] authKey) {
        this.authKey = authKey.clone();
        this.sessionSalt = sessionSalt.clone();
        try {
            aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(sessionKey, "AES"));
            hmac = Mac.getInstance("HmacSHA1");
            hmac.init(new SecretKeySpec(authKey, "HmacSHA1"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES or HmacSHA1 is not available in this JVM", e);
        }
    }

    /**
     * The SRTP key derivation of RFC 3711 4.3 with a key derivation rate of 0: AES-CM under the master
     * key, IV = (label * 2^48 XOR master salt) * 2^16.
     */
    static byte[] derive(byte[] masterKey, byte[] masterSalt, int label, int length) {
        if (masterKey.length != 16 || masterSalt.length != 14) {
            throw new IllegalArgumentException("AES_CM_128 needs a 16-byte master key and a 14-byte master salt, got "
                    + masterKey.length + " and " + masterSalt.length);
        }
        byte[] iv = new byte[16];
        System.arraycopy(masterSalt, 0, iv, 0, 14);
        iv[7] ^= (byte) label; // label * 2^48 within the 112-bit salt: byte 7 of the 14
        byte[] out = new byte[length];
        try {
            Cipher c = Cipher.getInstance("AES/ECB/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(masterKey, "AES"));
            byte[] block = new byte[16];
            for (int i = 0, n = 0; n < length; i++, n += 16) {
                iv[14] = (byte) (i >>> 8);
                iv[15] = (byte) i;
                c.doFinal(iv, 0, 16, block, 0);
                System.arraycopy(block, 0, out, n, Math.min(16, length - n));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is not available in this JVM", e);
        }
        return out;
    }

    /**
     * Decrypts {@code length} bytes of the payload that starts at {@code payloadOffset} of
     * {@code packet} into {@code out} (from 0); {@code index} is the packet's 48-bit SRTP index
     * (ROC * 2^16 + sequence number).
     */
    void decryptPrefix(byte[] packet, int payloadOffset, int length, long ssrc, long index, byte[] out) {
        // IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16)
        java.util.Arrays.fill(counter, (byte) 0);
        System.arraycopy(sessionSalt, 0, counter, 0, 14);
        for (int b = 0; b < 4; b++) {
            counter[4 + b] ^= (byte) (ssrc >>> (24 - 8 * b));
        }
        for (int b = 0; b < 6; b++) {
            counter[8 + b] ^= (byte) (index >>> (40 - 8 * b));
        }
        try {
            for (int block = 0, n = 0; n < length; block++, n += 16) {
                counter[14] = (byte) (block >>> 8);
                counter[15] = (byte) block;
                aes.doFinal(counter, 0, 16, keystream, 0);
                for (int k = 0; k < 16 && n + k < length; k++) {
                    out[n + k] = (byte) (packet[payloadOffset + n + k] ^ keystream[k]);
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES failed", e);
        }
    }

    /**
     * Whether the last {@link #TAG_LENGTH} bytes of {@code packet[0, length)} are the HMAC-SHA1 tag of
     * the rest followed by the rollover counter {@code roc} (RFC 3711 4.2).
     */
    boolean authentic(byte[] packet, int length, long roc) {
        if (length <= TAG_LENGTH + 12) {
            return false;
        }
        rocBytes[0] = (byte) (roc >>> 24);
        rocBytes[1] = (byte) (roc >>> 16);
        rocBytes[2] = (byte) (roc >>> 8);
        rocBytes[3] = (byte) roc;
        hmac.update(packet, 0, length - TAG_LENGTH);
        hmac.update(rocBytes);
        try {
            hmac.doFinal(tag, 0);
        } catch (javax.crypto.ShortBufferException e) {
            throw new IllegalStateException(e);
        }
        return MessageDigest.isEqual(java.util.Arrays.copyOf(tag, TAG_LENGTH),
                java.util.Arrays.copyOfRange(packet, length - TAG_LENGTH, length));
    }
}
