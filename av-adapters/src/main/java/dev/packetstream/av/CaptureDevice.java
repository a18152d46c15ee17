package dev.packetstream.av;

/**
 * A video capture device found by {@link MediaCapture#listDevices()}.
 *
 * @param path the device node, e.g. {@code /dev/video0}
 * @param name the driver's name for it, e.g. {@code Integrated Camera}; usable with
 *             {@link MediaCapture#camera(String)}
 */
public record CaptureDevice(String path, String name) {
}
