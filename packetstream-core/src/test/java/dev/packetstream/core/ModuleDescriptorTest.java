package dev.packetstream.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.packetstream.core.testing.CompiledModule;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {
    @Test
    void theCoreExportsItsThreePublicPackagesAndOpensNone() {
        CompiledModule core = CompiledModule.of(PacketStream.class);

        assertThat(core.name()).isEqualTo("dev.packetstream.core");
        assertThat(core.exportedPackages())
                .containsExactly("dev.packetstream.core", "dev.packetstream.core.media", "dev.packetstream.core.peer");
        assertThat(core.packages()).as("every package of the module is exported").isEqualTo(core.exportedPackages());
        assertThat(core.openedPackages()).isEmpty();
    }
}
