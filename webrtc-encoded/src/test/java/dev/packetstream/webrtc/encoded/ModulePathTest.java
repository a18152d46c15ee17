package dev.packetstream.webrtc.encoded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.packetstream.core.testing.CompiledModule;
import dev.packetstream.webrtc.encoded.modulepath.NegotiateOnModulePath;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The module on the module path, as a named module: its descriptor's requires (gst1-java-core, JNA:
 * automatic modules) resolve and its {@code opens ... to com.sun.jna} lets webrtcbin's callbacks in.
 */
class ModulePathTest {
    @Test
    void twoSessionsOfTheNamedModuleNegotiateThroughWebrtcbinsCallbacks() throws Exception {
        Path testClasses = Path.of(NegotiateOnModulePath.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ChildJvm.Result r = ChildJvm.runWithModule(NegotiateOnModulePath.class,
                CompiledModule.modulePath(EncodedRuntime.class), "dev.packetstream.webrtc.encoded", testClasses.toString(), 90);

        assertThat(r.output()).as("the child's output").contains("MODULE dev.packetstream.webrtc.encoded", "NEGOTIATED",
                "CLOSED");
        assertThat(r.exited()).as("the child JVM exited by itself; output:%n%s", r.output()).isTrue();
        assertThat(r.code()).as("exit status; output:%n%s", r.output()).isZero();
    }
}
