package dev.packetstream.webrtc.encoded;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The audio packet time asked of a peer goes into every audio section, and only there. */
class SdpTest {
    private static final String ANSWER = String.join("\r\n",
            "v=0",
            "m=video 9 UDP/TLS/RTP/SAVPF 96",
            "a=mid:0",
            "a=rtpmap:96 VP8/90000",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111",
            "a=mid:1",
            "a=ptime:20",
            "a=rtpmap:111 OPUS/48000/2",
            "");

    @Test
    void theAudioSectionGetsTheAskedPacketTimeInPlaceOfItsOwn() {
        String sdp = Sdp.withAudioPacketTime(ANSWER, 60);
        assertThat(sdp).endsWith("a=rtpmap:111 OPUS/48000/2\r\na=ptime:60\r\n").doesNotContain("a=ptime:20");
        assertThat(sdp.split("a=ptime:", -1)).hasSize(2);
    }

    @Test
    void aVideoSectionAfterTheAudioOneGetsNoPacketTime() {
        String audioFirst = String.join("\n", "v=0", "m=audio 9 RTP/AVP 111", "a=rtpmap:111 opus/48000/2",
                "m=video 9 RTP/AVP 96", "a=rtpmap:96 VP8/90000", "");
        assertThat(Sdp.withAudioPacketTime(audioFirst, 40)).isEqualTo(String.join("\n", "v=0", "m=audio 9 RTP/AVP 111",
                "a=rtpmap:111 opus/48000/2", "a=ptime:40", "m=video 9 RTP/AVP 96", "a=rtpmap:96 VP8/90000", ""));
        assertThat(Sdp.sections(Sdp.withAudioPacketTime(audioFirst, 40))).hasSize(2);
    }
}
