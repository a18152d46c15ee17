package dev.packetstream.core.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FrameSizeTest {

    @Test
    void evenSizesOfAtLeastTwoAreAcceptedAndPrintAsWidthByHeight() {
        FrameSize s = FrameSize.parse("1280X720");
        assertThat(s).isEqualTo(new FrameSize(1280, 720));
        assertThat(s.toString()).isEqualTo("1280x720");
        assertThat(s.pixels()).isEqualTo(921_600);
        assertThat(new FrameSize(2, 2).width()).isEqualTo(2);
    }

    @Test
    void oddZeroOrMalformedSizesAreRefusedWithWhatWasWrong() {
        assertThatThrownBy(() -> new FrameSize(641, 480)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a frame size must be even and at least 2x2 (I420 halves the chroma planes), was 641x480");
        assertThatThrownBy(() -> new FrameSize(0, 0)).hasMessageContaining("at least 2x2");
        assertThatThrownBy(() -> FrameSize.of("converter 'c': target size", 3, 4))
                .hasMessageStartingWith("converter 'c': target size must be even");
        assertThatThrownBy(() -> FrameSize.parse("640by480")).hasMessageContaining("WIDTHxHEIGHT");
        assertThatThrownBy(() -> FrameSize.parse("axb")).hasMessageContaining("WIDTHxHEIGHT");
    }
}
