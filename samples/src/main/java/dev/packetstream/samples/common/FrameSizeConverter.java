package dev.packetstream.samples.common;

import dev.packetstream.core.media.FrameSize;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli's converter for {@code --size WIDTHxHEIGHT}. */
public final class FrameSizeConverter implements ITypeConverter<FrameSize> {
    @Override
    public FrameSize convert(String value) {
        try {
            return FrameSize.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
