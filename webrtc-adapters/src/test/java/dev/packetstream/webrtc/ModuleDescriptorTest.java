package dev.packetstream.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.packetstream.core.testing.CompiledModule;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {
    @Test
    void theLibwebrtcEngineExportsItsOnePackageAndOpensNone() {
        CompiledModule webrtc = CompiledModule.of(PeerSession.class);

        assertThat(webrtc.name()).isEqualTo("dev.packetstream.webrtc");
        assertThat(webrtc.exportedPackages()).containsExactly("dev.packetstream.webrtc");
        assertThat(webrtc.packages()).as("no package is left unexported").isEqualTo(webrtc.exportedPackages());
        assertThat(webrtc.openedPackages()).isEmpty();
        assertThat(webrtc.requiredModules()).contains("dev.packetstream.core", "webrtc.java");
    }
}
