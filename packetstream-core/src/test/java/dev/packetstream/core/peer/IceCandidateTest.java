package dev.packetstream.core.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IceCandidateTest {
    private static final String HOST = "candidate:1 1 udp 2122260223 192.0.2.2 50000 typ host";

    @Test
    void anEmptyCandidateLineIsTheEndOfCandidatesMarker() {
        assertThat(IceCandidate.endOfCandidates("0", 0).isEndOfCandidates()).isTrue();
        assertThat(new IceCandidate(null, 0, HOST).isEndOfCandidates()).isFalse();
    }

    @Test
    void addressAndTypeAreReadFromTheCandidateLine() {
        IceCandidate c = new IceCandidate("0", 0, "a=" + HOST);
        assertThat(c.address()).isEqualTo("192.0.2.2");
        assertThat(c.type()).isEqualTo("host");
        assertThat(c.withAddress("127.0.0.1").candidate())
                .isEqualTo("a=candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host");
    }

    @Test
    void aMissingLineOrANegativeIndexIsRefused() {
        assertThatThrownBy(() -> new IceCandidate("0", 0, null)).hasMessageContaining("end of candidates");
        assertThatThrownBy(() -> new IceCandidate("0", -1, HOST)).hasMessageContaining("sdpMLineIndex");
    }
}
