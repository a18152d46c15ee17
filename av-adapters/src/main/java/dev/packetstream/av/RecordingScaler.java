package dev.packetstream.av;

import dev.packetstream.core.media.RawVideoFrame;

/**
 * Brings raw frames to the recording's size: the configured one, else the size the video encoder
 * was opened at (the first frame's). Frames already at that size pass as they are; others are
 * converted (one conversion each, {@link #scaledFrames() counted}). Owns its converter.
 *
 * <p>Not thread-safe: the recorder calls it under its own lock; {@link #scaledFrames()} may be read
 * from any thread.
 */
final class RecordingScaler implements AutoCloseable {
    private final String name;
    private final int width;
    private final int height;
    private VideoConverter converter;
    private volatile long scaledFrames;

    /** {@code width}/{@code height} 0: follow the encoder's size. */
    RecordingScaler(String name, int width, int height) {
        this.name = name;
        this.width = width;
        this.height = height;
    }

    /** {@code f} at the recording's size; a converted frame owned by this scaler when it had to be scaled. */
    RawVideoFrame toRecordingSize(RawVideoFrame f, VideoEncoderEngine engine) {
        int w = width > 0 ? width : engine.isOpen() ? engine.width() : f.width();
        int h = height > 0 ? height : engine.isOpen() ? engine.height() : f.height();
        if (f.width() == w && f.height() == h) {
            return f;
        }
        if (converter == null || converter.width() != w || converter.height() != h) {
            if (converter != null) {
                converter.close();
            }
            converter = new VideoConverter(name + "-scale", w, h);
        }
        scaledFrames++;
        return converter.convert(f);
    }

    long scaledFrames() {
        return scaledFrames;
    }

    @Override
    public void close() {
        if (converter != null) {
            converter.close();
        }
    }
}
