package dev.packetstream.samples.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The SRTP pieces of the load viewers against RFC 3711's test vectors (Appendix B.2 and B.3). */
class SrtpDecryptorTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void keyDerivationGivesTheSessionKeysOfRfc3711AppendixB3() {
        byte[] masterKey = HEX.parseHex("e1f97a0d3e018be0d64fa32c06de4139");
        byte[] masterSalt = HEX.parseHex("0ec675ad498afeebb6960b3aabe6");
        assertThat(HEX.formatHex(SrtpDecryptor.derive(masterKey, masterSalt, 0, 16))).isEqualTo("c61e7a93744f39ee10734afe3ff7a087");
        assertThat(HEX.formatHex(SrtpDecryptor.derive(masterKey, masterSalt, 2, 14))).isEqualTo("30cbbc08863d8c85d49db34a9ae1");
        assertThat(HEX.formatHex(SrtpDecryptor.derive(masterKey, masterSalt, 1, 20)))
                .isEqualTo("cebe321f6ff7716b6fd4ab49af256a156d38baa4");
    }

    @Test
    void decryptingZerosGivesTheKeystreamOfRfc3711AppendixB2() {
        SrtpDecryptor d = new SrtpDecryptor(HEX.parseHex("2b7e151628aed2a6abf7158809cf4f3c"),
                HEX.parseHex("f0f1f2f3f4f5f6f7f8f9fafbfcfd"), new byte[20]);
        byte[] zeros = new byte[12 + 48];
        byte[] out = new byte[40];
        d.decryptPrefix(zeros, 12, 40, 0, 0, out);
        assertThat(HEX.formatHex(out)).isEqualTo("e03ead0935c95e80e166b16dd92b4eb4" + "d23513162b02d0f72a43a2fe4a5f97ab"
                + "41e95b3bb0a2e8dd");
    }

    @Test
    void theKeystreamDependsOnSsrcAndIndexAsTheIvFormulaSays() {
        // IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16): SSRC s with salt k_s equals SSRC 0 with salt k_s XOR s at byte 4..7
        byte[] key = HEX.parseHex("2b7e151628aed2a6abf7158809cf4f3c");
        byte[] salt = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9fafbfcfd");
        byte[] shifted = salt.clone();
        shifted[4] ^= 0x12;
        shifted[7] ^= 0x78;
        shifted[12] ^= 0x01;
        shifted[13] ^= 0x02;
        byte[] a = new byte[16];
        byte[] b = new byte[16];
        new SrtpDecryptor(key, salt, new byte[20]).decryptPrefix(new byte[16], 0, 16, 0x12000078L, 0x0102L, a);
        new SrtpDecryptor(key, shifted, new byte[20]).decryptPrefix(new byte[16], 0, 16, 0, 0, b);
        assertThat(a).isEqualTo(b);
    }

    @Test
    void theRolloverCounterAdvancesWhenTheSequenceNumberWrapsAndNotForALatePacket() {
        SrtpIndex index = new SrtpIndex();
        index.update(index.estimate(65534));
        index.update(index.estimate(65535));
        long wrapped = index.estimate(1);
        assertThat(wrapped).isEqualTo((1L << 16) | 1);
        index.update(wrapped);
        assertThat(index.estimate(65535)).as("a late packet from before the wrap").isEqualTo(65535);
        assertThat(index.estimate(2)).isEqualTo((1L << 16) | 2);
    }
}
