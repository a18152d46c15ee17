package dev.packetstream.av;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finds this machine's V4L2 capture devices (from {@code /sys/class/video4linux}) and resolves a camera by path or name. */
final class CaptureDevices {
    private static final Logger log = LoggerFactory.getLogger(CaptureDevices.class);

    private CaptureDevices() {
    }

    /** The capture devices, sorted by node; empty when there are none. */
    static List<CaptureDevice> list() {
        Path sys = Path.of("/sys/class/video4linux");
        List<CaptureDevice> out = new ArrayList<>();
        if (!Files.isDirectory(sys)) {
            return out;
        }
        try (Stream<Path> entries = Files.list(sys)) {
            for (Path p : (Iterable<Path>) entries.sorted()::iterator) {
                String name;
                try {
                    name = Files.readString(p.resolve("name")).trim();
                } catch (IOException e) {
                    name = p.getFileName().toString();
                }
                out.add(new CaptureDevice("/dev/" + p.getFileName(), name));
            }
        } catch (IOException e) {
            log.warn("cannot list {}: {}", sys, e.toString());
        }
        return out;
    }

    /**
     * The device node of {@code device}: a {@code /dev/...} path that exists, or the node of the
     * camera with that name.
     *
     * @throws MediaInputException ({@code NOT_FOUND}, listing the cameras present) otherwise
     */
    static String resolve(String stage, String device) {
        if (device.startsWith("/dev/")) {
            if (!Files.exists(Path.of(device))) {
                throw new MediaInputException(device, MediaInputException.Reason.NOT_FOUND, "capture '" + stage + "': camera '"
                        + device + "' not found: no such device. Cameras present: " + list()
                        + " (MediaCapture.listDevices())", null);
            }
            return device;
        }
        for (CaptureDevice d : list()) {
            if (d.name().equals(device)) {
                return d.path();
            }
        }
        throw new MediaInputException(device, MediaInputException.Reason.NOT_FOUND, "capture '" + stage + "': no camera named '"
                + device + "'. Cameras present: " + list() + " (MediaCapture.listDevices())", null);
    }
}
