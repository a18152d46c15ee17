package dev.packetstream.samples.common;

import java.net.URI;

/** A running sample that hosts its own room ({@link HostedRoom}): the pages to open in a browser. */
public interface RoomSample extends RunningSample {
    /** The sample's server and room; set once the sample has started. */
    HostedRoom room();

    /** The page that shows what the sample sends. */
    default URI viewerPage() {
        return room().viewerPage();
    }

    /** The page that publishes a browser camera to the sample (browser-publisher mode). */
    default URI publisherPage() {
        return room().publisherPage();
    }
}
