package dev.packetstream.webrtc;

import dev.packetstream.core.Packet;
import java.nio.charset.StandardCharsets;

/** A text message (a data channel's text frames). Immutable and owned. */
public final class TextPacket extends Packet {
    private final String text;

    public TextPacket(String text) {
        super(0);
        if (text == null) {
            throw new IllegalArgumentException("a text packet needs text");
        }
        this.text = text;
    }

    public String text() {
        checkAccess();
        return text;
    }

    /** The UTF-8 size. */
    @Override
    public int size() {
        checkAccess();
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public TextPacket copy() {
        return this;
    }

    @Override
    protected String describeForError() {
        return "TextPacket of " + text.length() + " chars";
    }
}
