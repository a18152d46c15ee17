package dev.packetstream.webrtc.encoded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.packetstream.core.testing.CompiledModule;
import java.lang.module.ModuleDescriptor;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {
    @Test
    void theEncodedEngineExportsItsOnePackageAndOpensItToJnaAlone() {
        CompiledModule encoded = CompiledModule.of(EncodedRuntime.class);

        assertThat(encoded.name()).isEqualTo("dev.packetstream.webrtc.encoded");
        assertThat(encoded.exportedPackages()).containsExactly("dev.packetstream.webrtc.encoded");
        assertThat(encoded.packages()).as("no package is left unexported").isEqualTo(encoded.exportedPackages());
        assertThat(encoded.descriptor().opens()).singleElement().satisfies(opens -> {
            assertThat(opens.source()).isEqualTo("dev.packetstream.webrtc.encoded");
            assertThat(opens.targets()).as("opened to JNA only (its callbacks)").isEqualTo(Set.of("com.sun.jna"));
        });
        assertThat(encoded.descriptor().isOpen()).isFalse();
        assertThat(encoded.requiredModules()).contains("org.freedesktop.gstreamer", "com.sun.jna");
        assertThat(encoded.descriptor().requires()).filteredOn(r -> r.name().equals("dev.packetstream.core"))
                .singleElement().satisfies(r -> assertThat(r.modifiers()).contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE));
    }
}
