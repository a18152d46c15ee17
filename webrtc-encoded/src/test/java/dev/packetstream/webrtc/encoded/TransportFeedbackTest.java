package dev.packetstream.webrtc.encoded;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The transport-wide feedback extension is taken at the id the peer's offer gives it. */
class TransportFeedbackTest {
    private static final String OFFER = String.join("\r\n",
            "v=0",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111",
            "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
            "a=extmap:5/sendrecv http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
            "a=rtpmap:111 opus/48000/2",
            "");

    @Test
    void theExtensionIdIsReadFromTheOfferWithOrWithoutADirection() {
        assertThat(TransportFeedback.extensionId(OFFER)).isEqualTo(5);
        assertThat(TransportFeedback.extensionId(OFFER.replace("5/sendrecv", "7"))).isEqualTo(7);
    }

    @Test
    void anOfferWithoutTheExtensionLeavesTheCapsAsTheyAre() {
        String caps = "application/x-rtp,media=video,encoding-name=VP8";
        assertThat(TransportFeedback.extensionId(OFFER.replace(TransportFeedback.URI, "urn:other"))).isEqualTo(TransportFeedback.NONE);
        assertThat(TransportFeedback.withFeedback(caps, TransportFeedback.NONE)).isEqualTo(caps);
    }

    @Test
    void everyCapsStructureGetsFeedbackAndTheExtensionAtTheGivenId() {
        String caps = TransportFeedback.withFeedback("application/x-rtp,encoding-name=VP8;application/x-rtp,encoding-name=H264", 3);
        assertThat(caps.split(";")).hasSize(2).allSatisfy(s -> assertThat(s)
                .contains("rtcp-fb-transport-cc=(boolean)true")
                .contains("extmap-3=(string)\"" + TransportFeedback.URI + "\""));
    }
}
