package dev.packetstream.samples.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The wire viewers' ICE-lite answers, against the sample request of RFC 5769 2.1. */
class StunResponderTest {
    /** RFC 5769 2.1: username "evtj:h6vY", password "VOkJxbRl1RmTxUk/WvJxBt". */
    private static final byte[] SAMPLE_REQUEST = HexFormat.of().parseHex("000100582112a442b7e7a701bc34d686fa87dfae"
            + "802200105354554e20746573742063 6c69656e74".replace(" ", "")
            + "002400046e0001ff80290008932ff9b151263b36000600096576746a3a68367659202020"
            + "000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a280280004e57a3bcf");
    private static final String PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt";

    @Test
    void theRfc5769SampleRequestGetsABindingSuccessWithTheSendersAddressIntegrityAndFingerprint() throws Exception {
        InetSocketAddress from = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 40000);
        byte[] out = new byte[128];
        int n = new StunResponder("evtj", PASSWORD).respond(SAMPLE_REQUEST.clone(), SAMPLE_REQUEST.length, from, out);
        assertThat(n).as("response length: header, XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY, FINGERPRINT").isEqualTo(20 + 12 + 24 + 8);
        assertThat(StunResponder.readShort(out, 0)).as("type: Binding success").isEqualTo(0x0101);
        assertThat(StunResponder.readShort(out, 2)).isEqualTo(n - 20);
        assertThat(Arrays.copyOfRange(out, 8, 20)).as("transaction id").isEqualTo(Arrays.copyOfRange(SAMPLE_REQUEST, 8, 20));
        // XOR-MAPPED-ADDRESS: port and address XORed with the magic cookie
        assertThat(StunResponder.readShort(out, 20)).isEqualTo(0x0020);
        assertThat(StunResponder.readShort(out, 26) ^ 0x2112).isEqualTo(40000);
        assertThat(StunResponder.readInt(out, 28) ^ 0x2112A442).isEqualTo(0x7f000001);
        // MESSAGE-INTEGRITY: HMAC-SHA1 with our password over the message up to it, its length counting it
        byte[] signed = Arrays.copyOf(out, 32);
        signed[3] = (byte) (32 + 24 - 20);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(PASSWORD.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA1"));
        assertThat(Arrays.copyOfRange(out, 36, 56)).isEqualTo(mac.doFinal(signed));
        // FINGERPRINT: CRC-32 of the rest XOR 0x5354554e
        CRC32 crc = new CRC32();
        crc.update(out, 0, 56);
        assertThat(StunResponder.readInt(out, 60)).isEqualTo((int) crc.getValue() ^ 0x5354554e);
    }

    @Test
    void aRequestForAnotherUfragOrWithAnotherPasswordGetsNoAnswer() throws Exception {
        InetSocketAddress from = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 40000);
        byte[] out = new byte[128];
        assertThat(new StunResponder("h6vY", PASSWORD).respond(SAMPLE_REQUEST.clone(), SAMPLE_REQUEST.length, from, out)).isEqualTo(-1);
        assertThat(new StunResponder("evtj", "another password").respond(SAMPLE_REQUEST.clone(), SAMPLE_REQUEST.length, from, out))
                .isEqualTo(-1);
    }

    @Test
    void vp8KeyframesAreToldFromTheirPayloadDescriptorAndFrameTag() {
        // S=1, PID=0, no extension; frame tag P bit 0: keyframe
        assertThat(RtpCounter.vp8Keyframe(new byte[] {0x10, (byte) 0x90, 0x01, 0x00}, 4)).isTrue();
        assertThat(RtpCounter.vp8Keyframe(new byte[] {0x10, (byte) 0x91, 0x01, 0x00}, 4)).isFalse();
        // X=1 with a 15-bit picture id (I=1, M=1): the frame tag is at byte 4
        assertThat(RtpCounter.vp8Keyframe(new byte[] {(byte) 0x90, (byte) 0x80, (byte) 0x81, 0x23, 0x50, 0, 0, 0}, 8)).isTrue();
        assertThat(RtpCounter.vp8Keyframe(new byte[] {(byte) 0x90, (byte) 0x80, (byte) 0x81, 0x23, 0x51, 0, 0, 0}, 8)).isFalse();
        // not the start of a partition: no frame tag here
        assertThat(RtpCounter.vp8Keyframe(new byte[] {0x00, 0x00, 0x00, 0x00}, 4)).isFalse();
    }
}
