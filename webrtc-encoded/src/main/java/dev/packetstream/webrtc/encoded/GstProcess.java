package dev.packetstream.webrtc.encoded;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.ElementFactory;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.GstException;
import org.freedesktop.gstreamer.Version;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GStreamer's process-wide part, shared by every {@link EncodedRuntime} of the JVM.
 *
 * <p>GStreamer is initialised once per process and cannot be initialised again after
 * {@code gst_deinit()}, so this class initialises it on the first runtime and never de-initialises
 * it. What it does own and stop is the default main context's loop: a daemon thread
 * {@code gst-main-loop} that runs while at least one runtime is open. It is not visible to users:
 * each runtime is an independent owner of its sessions, and closing one never disturbs another.
 */
final class GstProcess {
    private static final Logger log = LoggerFactory.getLogger(GstProcess.class);
    /** The elements every session needs, and the Debian package that provides each. */
    static final Map<String, String> REQUIRED = requiredElements();

    private static final Object LOCK = new Object();
    /** The process's GStreamer; created by the first runtime, kept for the JVM's life (see the class comment). */
    private static GstProcess shared;

    final GstApi.Libs libs;
    private int runtimes;
    private Pointer loop;
    private Thread loopThread;

    private GstProcess(GstApi.Libs libs) {
        this.libs = libs;
    }

    private static Map<String, String> requiredElements() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("appsrc", "gstreamer1.0-plugins-base");
        m.put("appsink", "gstreamer1.0-plugins-base");
        m.put("rtpbin", "gstreamer1.0-plugins-good");
        m.put("rtph264pay", "gstreamer1.0-plugins-good");
        m.put("rtpvp8pay", "gstreamer1.0-plugins-good");
        m.put("rtpvp9pay", "gstreamer1.0-plugins-good");
        m.put("rtpopuspay", "gstreamer1.0-plugins-good");
        m.put("rtph264depay", "gstreamer1.0-plugins-good");
        m.put("rtpvp8depay", "gstreamer1.0-plugins-good");
        m.put("rtpvp9depay", "gstreamer1.0-plugins-good");
        m.put("rtpopusdepay", "gstreamer1.0-plugins-good");
        m.put("webrtcbin", "gstreamer1.0-plugins-bad");
        m.put("dtlssrtpenc", "gstreamer1.0-plugins-bad");
        m.put("srtpenc", "gstreamer1.0-plugins-bad");
        m.put("h264parse", "gstreamer1.0-plugins-bad");
        m.put("nicesrc", "gstreamer1.0-nice");
        return m;
    }

    /** Joins the process's GStreamer for one more runtime: initialises it the first time. */
    static GstProcess acquire(String runtime) {
        synchronized (LOCK) {
            if (shared == null) {
                shared = initialise(runtime);
            }
            shared.runtimes++;
            if (shared.runtimes == 1) {
                shared.startLoop();
            }
            return shared;
        }
    }

    /** A runtime closed; the last one stops the main loop (GStreamer itself stays initialised). */
    void release() {
        synchronized (LOCK) {
            if (runtimes == 0) {
                return;
            }
            runtimes--;
            if (runtimes == 0) {
                stopLoop();
            }
        }
    }

    private static GstProcess initialise(String runtime) {
        GstApi.Libs libs;
        try {
            // GStreamer's segfault trap would catch the JVM's own (handled) SIGSEGVs while a plugin
            // loads and end the process: off before init.
            Gst.setSegTrap(false);
            if (!Gst.isInitialized()) {
                Gst.init(new Version(1, 16), "packetstream-" + runtime);
            }
            libs = GstApi.Libs.load();
        } catch (GstException e) {
            throw new GstMissingException("runtime '" + runtime + "': GStreamer did not initialise: " + e.getMessage(), e);
        } catch (LinkageError e) {
            throw new GstMissingException("runtime '" + runtime + "': the GStreamer libraries could not be loaded ("
                    + e.getMessage() + ")", e);
        }
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String> e : REQUIRED.entrySet()) {
            if (!exists(e.getKey())) {
                missing.add(e.getKey() + " (" + e.getValue() + ")");
            }
        }
        if (!missing.isEmpty()) {
            throw new GstMissingException("runtime '" + runtime + "': GStreamer " + Gst.getVersionString()
                    + " lacks the elements " + missing, null);
        }
        // Load the plugins now, not in the middle of a session (see the segfault trap above).
        for (String name : List.of("webrtcbin", "nicesrc", "nicesink", "dtlssrtpenc", "dtlssrtpdec", "srtpenc", "srtpdec")) {
            Element e = ElementFactory.make(name, null);
            e.dispose();
        }
        GstProcess p = new GstProcess(libs);
        p.checkBufferLayout();
        log.debug("GStreamer {} initialised", Gst.getVersionString());
        return p;
    }

    private static boolean exists(String factory) {
        try {
            return ElementFactory.find(factory) != null;
        } catch (IllegalArgumentException e) { // gst1-java-core throws for a missing factory
            return false;
        }
    }

    /** The raw-buffer offsets {@link GstApi} uses must match this GStreamer's structs. */
    private void checkBufferLayout() {
        Pointer b = libs.gst().gst_buffer_new_allocate(null, new NativeLong(4), null);
        try {
            long size = mapSize(b);
            if (size != 4 || b.getLong(GstApi.BUFFER_PTS) != GstApi.CLOCK_TIME_NONE
                    || b.getLong(GstApi.BUFFER_DURATION) != GstApi.CLOCK_TIME_NONE) {
                throw new EncodedRtcException("this GStreamer's GstBuffer layout is not the one webrtc-encoded was built for "
                        + "(64-bit Linux, GStreamer 1.x): map size " + size + ", pts " + b.getLong(GstApi.BUFFER_PTS));
            }
        } finally {
            libs.gst().gst_mini_object_unref(b);
        }
    }

    private long mapSize(Pointer buffer) {
        Memory info = new Memory(GstApi.MAP_INFO_BYTES);
        if (!libs.gst().gst_buffer_map(buffer, info, GstApi.MAP_READ)) {
            return -1;
        }
        try {
            return info.getLong(GstApi.MAP_SIZE);
        } finally {
            libs.gst().gst_buffer_unmap(buffer, info);
        }
    }

    private void startLoop() {
        Pointer l = libs.glib().g_main_loop_new(null, false);
        CountDownLatch running = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            running.countDown();
            libs.glib().g_main_loop_run(l);
        }, "gst-main-loop");
        t.setDaemon(true);
        t.start();
        try {
            running.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loop = l;
        loopThread = t;
    }

    private void stopLoop() {
        Pointer l = loop;
        Thread t = loopThread;
        loop = null;
        loopThread = null;
        if (l == null) {
            return;
        }
        // g_main_loop_quit before run started would be lost: repeat until the thread has ended.
        for (int i = 0; i < 100 && t.isAlive(); i++) {
            libs.glib().g_main_loop_quit(l);
            try {
                t.join(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (t.isAlive()) {
            log.warn("GStreamer's main loop thread did not stop; it is a daemon thread and will not keep the JVM alive");
            return;
        }
        libs.glib().g_main_loop_unref(l);
    }
}
