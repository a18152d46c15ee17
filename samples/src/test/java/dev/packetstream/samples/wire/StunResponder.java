package dev.packetstream.samples.wire;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The ICE-lite side of one viewer (RFC 8445 2.5, RFC 5389): checks a STUN Binding request from the
 * relay's (controlling) agent (our ufrag first in its USERNAME, its MESSAGE-INTEGRITY keyed with our
 * password) and writes the Binding success response: XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY and
 * FINGERPRINT. Answering every request keeps consent fresh (RFC 7675). Not thread-safe.
 */
final class StunResponder {
    static final int MAGIC_COOKIE = 0x2112A442;
    private static final int BINDING_REQUEST = 0x0001;
    private static final int BINDING_SUCCESS = 0x0101;
    private static final int USERNAME = 0x0006;
    private static final int MESSAGE_INTEGRITY = 0x0008;
    private static final int XOR_MAPPED_ADDRESS = 0x0020;
    private static final int USE_CANDIDATE = 0x0025;
    private static final int FINGERPRINT = 0x8028;
    private static final int FINGERPRINT_XOR = 0x5354554e;

    private final byte[] ufragPrefix;
    private final Mac hmac;
    private final CRC32 crc = new CRC32();
    private boolean lastNominated;

    StunResponder(String localUfrag, String localPassword) {
        this.ufragPrefix = (localUfrag + ":").getBytes(StandardCharsets.UTF_8);
        try {
            hmac = Mac.getInstance("HmacSHA1");
            hmac.init(new SecretKeySpec(localPassword.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is not available in this JVM", e);
        }
    }

    /** Whether the last request answered carried USE-CANDIDATE (the relay nominated this pair). */
    boolean lastNominated() {
        return lastNominated;
    }

    /**
     * Answers the Binding request {@code in[0, length)} from {@code from}: writes the response into
     * {@code out} and returns its length, or -1 when it is no Binding request for us (ignored).
     */
    int respond(byte[] in, int length, InetSocketAddress from, byte[] out) {
        if (length < 20 || type(in) != BINDING_REQUEST || readInt(in, 4) != MAGIC_COOKIE || 20 + readShort(in, 2) != length) {
            return -1;
        }
        boolean ourUsername = false;
        boolean integrityChecked = false;
        boolean nominated = false;
        for (int at = 20; at + 4 <= length; ) {
            int attr = readShort(in, at);
            int len = readShort(in, at + 2);
            if (at + 4 + len > length) {
                return -1;
            }
            if (attr == USERNAME) {
                ourUsername = startsWith(in, at + 4, len, ufragPrefix);
            } else if (attr == USE_CANDIDATE) {
                nominated = true;
            } else if (attr == MESSAGE_INTEGRITY && len == 20) {
                // HMAC over the message up to this attribute, with the length field counting up to its end
                int savedLength = readShort(in, 2);
                writeShort(in, 2, at + 24 - 20);
                hmac.update(in, 0, at);
                byte[] expected = hmac.doFinal();
                writeShort(in, 2, savedLength);
                integrityChecked = MessageDigest.isEqual(expected, java.util.Arrays.copyOfRange(in, at + 4, at + 24));
                if (!integrityChecked) {
                    return -1;
                }
            }
            at += 4 + ((len + 3) & ~3);
        }
        if (!ourUsername || !integrityChecked) {
            return -1;
        }
        lastNominated = nominated;
        return success(in, from, out);
    }

    private int success(byte[] request, InetSocketAddress from, byte[] out) {
        if (!(from.getAddress() instanceof Inet4Address)) {
            throw new IllegalArgumentException("load viewers use IPv4 loopback only, got a request from " + from);
        }
        writeShort(out, 0, BINDING_SUCCESS);
        writeInt(out, 4, MAGIC_COOKIE);
        System.arraycopy(request, 8, out, 8, 12); // transaction id
        int at = 20;
        writeShort(out, at, XOR_MAPPED_ADDRESS);
        writeShort(out, at + 2, 8);
        out[at + 4] = 0;
        out[at + 5] = 0x01; // IPv4
        writeShort(out, at + 6, from.getPort() ^ (MAGIC_COOKIE >>> 16));
        byte[] ip = from.getAddress().getAddress();
        for (int i = 0; i < 4; i++) {
            out[at + 8 + i] = (byte) (ip[i] ^ (MAGIC_COOKIE >>> (24 - 8 * i)));
        }
        at += 12;
        writeShort(out, 2, at + 24 - 20);
        hmac.update(out, 0, at);
        byte[] mac = hmac.doFinal();
        writeShort(out, at, MESSAGE_INTEGRITY);
        writeShort(out, at + 2, 20);
        System.arraycopy(mac, 0, out, at + 4, 20);
        at += 24;
        writeShort(out, 2, at + 8 - 20);
        crc.reset();
        crc.update(out, 0, at);
        writeShort(out, at, FINGERPRINT);
        writeShort(out, at + 2, 4);
        writeInt(out, at + 4, (int) crc.getValue() ^ FINGERPRINT_XOR);
        return at + 8;
    }

    private static boolean startsWith(byte[] b, int off, int len, byte[] prefix) {
        if (len < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[off + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int type(byte[] b) {
        return readShort(b, 0);
    }

    static int readShort(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    static int readInt(byte[] b, int at) {
        return (readShort(b, at) << 16) | readShort(b, at + 2);
    }

    private static void writeShort(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    private static void writeInt(byte[] b, int at, int v) {
        writeShort(b, at, v >>> 16);
        writeShort(b, at + 2, v);
    }
}
