package dev.packetstream.core;

import java.util.List;

/**
 * One leak: a reference-counted packet's storage that was garbage collected without its last
 * release, with the places that touched it last (oldest first; the stages it was lent to).
 */
public record LeakReport(String description, List<String> lastTouches) {
    public LeakReport {
        lastTouches = List.copyOf(lastTouches);
    }

    @Override
    public String toString() {
        return description + " was garbage collected without its last release(); last touched by "
                + String.join(" -> ", lastTouches)
                + ". Whoever keeps a packet past its call must release() it when done.";
    }
}
