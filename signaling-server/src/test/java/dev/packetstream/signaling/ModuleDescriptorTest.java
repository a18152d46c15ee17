package dev.packetstream.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.packetstream.core.testing.CompiledModule;
import dev.packetstream.signaling.websocket.ClientSocketListener;
import dev.packetstream.signaling.websocket.ServerSocketListener;
import java.lang.reflect.Modifier;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModuleDescriptorTest {
    @Test
    void theSignalingModuleExportsOnlyItsPublicPackageAndKeepsInternalAndThePagesInside() {
        CompiledModule signaling = CompiledModule.of(SignalingServer.class);

        assertThat(signaling.name()).isEqualTo("dev.packetstream.signaling");
        assertThat(signaling.exportedPackages())
                .containsExactly("dev.packetstream.signaling", "dev.packetstream.signaling.websocket");
        assertThat(signaling.packages()).containsExactlyInAnyOrder("dev.packetstream.signaling",
                "dev.packetstream.signaling.internal", "dev.packetstream.signaling.web",
                "dev.packetstream.signaling.websocket");
        assertThat(signaling.openedPackages()).as("the pages are found through the module, not opened").isEmpty();
        assertThat(signaling.requiredModules()).contains("dev.packetstream.core", "org.eclipse.jetty.server");
    }

    @Test
    void theExportedListenersCanOnlyBeBuiltFromTheModulesInternalEndpoints() {
        for (Class<?> listener : List.of(ServerSocketListener.class, ClientSocketListener.class)) {
            assertThat(listener.getConstructors()).as("%s's constructors", listener).hasSize(1);
            assertThat(listener.getConstructors()[0].getParameterTypes()).as("%s's constructor", listener)
                    .singleElement().satisfies(type -> assertThat(type.getPackageName())
                            .isEqualTo("dev.packetstream.signaling.internal"));
            assertThat(Modifier.isFinal(listener.getModifiers())).as("%s is final", listener).isTrue();
        }
    }
}
