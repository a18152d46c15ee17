package dev.packetstream.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.packetstream.core.testing.CompiledModule;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The standalone server on the module path (no class path): the module descriptor's requires, the
 * public-only Jetty API and the pages found through the module are what this proves. The module path
 * is this module's classes folder (a module: it holds module-info.class) and its runtime
 * dependencies' jars ({@link CompiledModule#modulePath}).
 */
class ModulePathTest {
    @Test
    void theServerStartedAsAModuleAnswersHealthServesItsPagesAndJoinsPeers() throws Exception {
        try (ChildServer server = ChildServer.startOnModulePath(CompiledModule.modulePath(SignalingServer.class))) {
            assertThat(server.health().get("rooms").asInt()).isZero();

            HttpResponse<String> welcome = server.get("/");
            assertThat(welcome.statusCode()).isEqualTo(200);
            assertThat(welcome.body()).contains("<title>PacketStream signaling");
            HttpResponse<String> viewer = server.get("/viewer.html");
            assertThat(viewer.statusCode()).isEqualTo(200);
            assertThat(viewer.body()).contains("<title>PacketStream viewer");
            assertThat(server.get("/packetstream-signaling.js").statusCode()).isEqualTo(200);
            assertThat(server.get("/no-such-page.html").statusCode()).isEqualTo(404);

            try (SignalingClient publisher = SignalingClient.builder(server.webSocketUri()).room("r").role("publisher")
                    .build();
                 SignalingClient viewerClient = SignalingClient.builder(server.webSocketUri()).room("r").role("viewer")
                    .build()) {
                Joined first = publisher.connect().get(10, TimeUnit.SECONDS);
                Joined second = viewerClient.connect().get(10, TimeUnit.SECONDS);
                assertThat(second.peers()).containsExactly(new PeerInfo(first.selfId(), "publisher"));
                Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                        .until(() -> server.health().get("peers").asInt() == 2);
            }
        }
    }
}
