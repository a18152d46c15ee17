package dev.packetstream.samples.detect;

import dev.packetstream.core.Packet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the {@link MotionDetector} found in one frame: the box around the blocks whose brightness
 * changed, as fractions of the frame (0..1), and the share of the frame that changed. Immutable and
 * owned: any stage may keep it.
 */
public final class MotionEvent extends Packet {
    private final long frameTimestampUs;
    private final double x;
    private final double y;
    private final double width;
    private final double height;
    private final double changed;
    private final long sequence;

    public MotionEvent(long sequence, long frameTimestampUs, double x, double y, double width, double height, double changed) {
        super(0);
        this.sequence = sequence;
        this.frameTimestampUs = frameTimestampUs;
        this.x = x;
        this.y = y;
        this.width = width;
        this.height = height;
        this.changed = changed;
    }

    public long sequence() {
        return sequence;
    }

    public long frameTimestampUs() {
        return frameTimestampUs;
    }

    /** The share of the frame's blocks that changed, 0..1. */
    public double changed() {
        return changed;
    }

    /**
     * The application event the viewer page draws: {@code {"type":"motion","normalized":true,
     * "boxes":[{x,y,w,h,label}],...}}.
     */
    public Map<String, Object> toEvent() {
        Map<String, Object> box = new LinkedHashMap<>();
        box.put("x", x);
        box.put("y", y);
        box.put("w", width);
        box.put("h", height);
        box.put("label", "motion " + Math.round(changed * 100) + "%");
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "motion");
        event.put("seq", sequence);
        event.put("frameTimestampUs", frameTimestampUs);
        event.put("changed", changed);
        event.put("normalized", true);
        event.put("boxes", List.of(box));
        return event;
    }

    @Override
    public int size() {
        return 0;
    }

    @Override
    public MotionEvent copy() {
        return this; // immutable
    }

    @Override
    public String toString() {
        return "MotionEvent#" + sequence + " " + Math.round(changed * 100) + "% at (" + x + ", " + y + ", " + width + ", " + height + ")";
    }
}
