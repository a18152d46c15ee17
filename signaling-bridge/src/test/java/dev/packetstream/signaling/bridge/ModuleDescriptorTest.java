package dev.packetstream.signaling.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.packetstream.core.testing.CompiledModule;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {
    @Test
    void theBridgeExportsItsOnePackageAndKnowsNoPeerSessionEngine() {
        CompiledModule bridge = CompiledModule.of(RoomConnection.class);

        assertThat(bridge.name()).isEqualTo("dev.packetstream.signaling.bridge");
        assertThat(bridge.exportedPackages()).containsExactly("dev.packetstream.signaling.bridge");
        assertThat(bridge.packages()).as("no package is left unexported").isEqualTo(bridge.exportedPackages());
        assertThat(bridge.openedPackages()).isEmpty();
        assertThat(bridge.requiredModules()).contains("dev.packetstream.core", "dev.packetstream.signaling")
                .doesNotContain("dev.packetstream.webrtc", "dev.packetstream.webrtc.encoded");
    }
}
