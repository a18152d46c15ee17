package dev.packetstream.samples.common;

/** A sample built on a {@link DecodedRelay}: its room, its publisher mode and its viewers are the relay's. */
public interface DecodedRelaySample extends RoomSample {
    /** The runtime, ingress, viewers and room the sample runs on. */
    DecodedRelay relay();

    @Override
    default HostedRoom room() {
        return relay().room();
    }

    /** Whether frames come from a browser that opens {@link #publisherPage()} (else from a Java source). */
    default boolean browserPublisher() {
        return relay().browserPublisher();
    }

    default ViewerRoom viewers() {
        return relay().viewers();
    }
}
