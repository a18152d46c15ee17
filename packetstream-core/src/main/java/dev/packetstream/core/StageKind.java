package dev.packetstream.core;

import java.util.Locale;

/** What a row of {@link StreamStats} describes. */
public enum StageKind {
    /** An adapter attached with {@link PacketStream#attachSource}. */
    SOURCE,
    /** A processor attached with {@link PacketStream#attach}. */
    PROCESSOR,
    /** One branch of a {@link BranchGroup}, listed after the group. */
    BRANCH,
    /** A sink added with {@link PacketStream#addSink}. */
    SINK;

    /** The name shown by {@link PacketStream#describe()}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
