package dev.packetstream.core.testing;

import dev.packetstream.core.LeakDetector;
import dev.packetstream.core.LeakReport;
import dev.packetstream.core.Ownership;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class whose tests leaked reference-counted packets: after the class, it runs the
 * garbage collector (a bounded number of rounds) and polls the global {@link LeakDetector}.
 *
 * <p>Registered for every test class of every module through JUnit's extension auto-detection
 * (the parent POM turns it on; this test-jar lists the extension in
 * {@code META-INF/services}). Does nothing when checked mode is off.
 */
public final class LeakCheckExtension implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LeakCheckExtension.class);
    private static final int GC_ROUNDS = 4;

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!Ownership.CHECKED || exempt(context)) {
            return;
        }
        LeakDetector.global().poll(); // leaks of earlier classes are theirs
        List<LeakReport> found = new CopyOnWriteArrayList<>();
        Consumer<LeakReport> listener = found::add;
        LeakDetector.global().addListener(listener);
        context.getStore(NS).put("found", found);
        context.getStore(NS).put("listener", listener);
    }

    private static boolean exempt(ExtensionContext context) {
        return context.getTestClass().map(c -> c.isAnnotationPresent(AllowsLeaks.class)).orElse(false);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void afterAll(ExtensionContext context) throws InterruptedException {
        if (!Ownership.CHECKED || exempt(context)) {
            return;
        }
        List<LeakReport> found = (List<LeakReport>) context.getStore(NS).get("found");
        Consumer<LeakReport> listener = (Consumer<LeakReport>) context.getStore(NS).get("listener");
        try {
            for (int i = 0; i < GC_ROUNDS; i++) {
                System.gc();
                Thread.sleep(20); // give reference processing a moment; bounded
                LeakDetector.global().poll();
            }
        } finally {
            LeakDetector.global().removeListener(listener);
        }
        if (!found.isEmpty()) {
            StringBuilder b = new StringBuilder(context.getDisplayName() + " leaked " + found.size()
                    + " reference-counted packet(s):");
            for (LeakReport r : found) {
                b.append("\n  - ").append(r);
            }
            throw new AssertionError(b.toString());
        }
    }
}
