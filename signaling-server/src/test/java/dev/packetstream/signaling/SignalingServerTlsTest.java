package dev.packetstream.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a keystore the server speaks TLS only (wss://, https://). The keystore is made by the JDK's keytool. */
class SignalingServerTlsTest {
    private static final String PASSWORD = "test-password";

    @TempDir
    static Path dir;
    static Path keyStore;

    @BeforeAll
    static void makeKeyStore() throws Exception {
        keyStore = dir.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server",
                "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("keytool finished").isTrue();
        assertThat(process.exitValue()).as(new String(process.getInputStream().readAllBytes())).isZero();
        assertThat(Files.size(keyStore)).isPositive();
    }

    @Test
    void withAKeyStoreTheServerServesWssAndRefusesPlainWebSockets() throws Exception {
        try (SignalingServer server = SignalingServer.builder().tls(keyStore, PASSWORD).build().start()) {
            assertThat(server.webSocketUri().getScheme()).isEqualTo("wss");
            assertThat(server.httpUri().getScheme()).isEqualTo("https");

            try (SignalingClient a = SignalingClient.builder(server.webSocketUri()).room("secure").role("publisher")
                    .trustAllCertificates().build();
                 SignalingClient b = SignalingClient.builder(server.webSocketUri()).room("secure").role("viewer")
                    .trustAllCertificates().build()) {
                a.connect().get(10, TimeUnit.SECONDS);
                Joined joined = b.connect().get(10, TimeUnit.SECONDS);
                assertThat(joined.peers()).extracting(PeerInfo::role).containsExactly("publisher");
            }

            WebSocketClient plain = new WebSocketClient();
            plain.start();
            try {
                java.net.URI ws = java.net.URI.create("ws://127.0.0.1:" + server.port() + "/ws");
                assertThatThrownBy(() -> RawPeer.connect(plain, ws)).isInstanceOf(Exception.class);
            } finally {
                plain.stop();
            }
        }
    }

    @Test
    void aMissingKeyStoreIsRefusedWithTheFileNamed() {
        Path missing = dir.resolve("nope.p12");
        assertThatThrownBy(() -> SignalingServer.builder().tls(missing, PASSWORD))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope.p12");
    }
}
