package dev.packetstream.samples.common;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A frame size, written {@code WIDTHxHEIGHT} (even numbers: I420 halves the chroma planes). */
public record FrameSize(int width, int height) {
    public FrameSize {
        if (width <= 0 || height <= 0 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("a frame size needs even positive numbers, was " + width + "x" + height);
        }
    }

    public static FrameSize parse(String s) {
        String[] p = s.toLowerCase().split("x");
        if (p.length != 2) {
            throw new IllegalArgumentException("expected WIDTHxHEIGHT such as 1280x720, was '" + s + "'");
        }
        try {
            return new FrameSize(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected WIDTHxHEIGHT such as 1280x720, was '" + s + "'");
        }
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }

    /** picocli's converter for {@code --size}. */
    public static final class Converter implements ITypeConverter<FrameSize> {
        @Override
        public FrameSize convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
