package dev.packetstream.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** start() once, close() idempotent, and nothing of the server left running after close. */
class SignalingServerLifecycleTest {

    @Test
    void aServerRefusesPortBeforeStartASecondStartAndAStartAfterClose() {
        SignalingServer server = SignalingServer.builder().build();
        assertThatThrownBy(server::port).isInstanceOf(IllegalStateException.class).hasMessageContaining("start()");
        server.start();
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("once");
        server.close();
        server.close();
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void aPortInUseIsReportedWithTheAddress() {
        try (SignalingServer first = SignalingServer.builder().build().start()) {
            SignalingServer second = SignalingServer.builder().port(first.port()).build();
            assertThatThrownBy(second::start).isInstanceOf(SignalingServerException.class)
                    .hasMessageContaining("127.0.0.1:" + first.port());
            second.close();
        }
    }

    @Test
    void closeStopsEveryThreadOfTheServer() {
        SignalingServer server = SignalingServer.builder().build().start();
        assertThat(serverThreads()).isNotEmpty();
        server.close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(serverThreads()).isEmpty());
    }

    private static List<String> serverThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("signaling-server")).toList();
    }
}
