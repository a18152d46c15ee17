package dev.packetstream.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.packetstream.core.testing.AllowsLeaks;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

@AllowsLeaks("runs a class that leaks on purpose, to prove the leak check fails it")
class LeakCheckExtensionTest {

    @Test
    void theLeakCheckExtensionFailsATestClassThatLeaksAReferenceCountedPacket() {
        Events containers = EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .selectors(selectClass(LeakingCase.class))
                .execute()
                .containerEvents();
        Event classFinished = containers.finished().stream()
                .filter(e -> e.getTestDescriptor().getDisplayName().contains("LeakingCase"))
                .findFirst().orElseThrow();
        var result = classFinished.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow();
        assertThat(result.getStatus()).isEqualTo(org.junit.platform.engine.TestExecutionResult.Status.FAILED);
        assertThat(result.getThrowable().orElseThrow()).hasMessageContaining("leaked 1 reference-counted packet");
    }

    @Test
    void theLeakCheckExtensionPassesATestClassThatReleasesWhatItRetains() {
        Events containers = EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .selectors(selectClass(CleanCase.class))
                .execute()
                .containerEvents();
        containers.assertStatistics(s -> s.failed(0));
    }

    /** Run only through the test kit above (surefire skips nested classes). */
    static class LeakingCase {
        @Test
        void leaks() {
            new TestPackets.Counted(1, new AtomicInteger()); // never released
        }
    }

    static class CleanCase {
        @Test
        void releases() {
            new TestPackets.Counted(1, new AtomicInteger()).release();
        }
    }
}
