package dev.packetstream.signaling.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;

/**
 * The handler that serves the browser pages (publisher, viewer, recorder, their script and style)
 * from the folder {@value #FOLDER} inside this module.
 *
 * <p>The folder is found through {@link Class#getResource} on a class of this module, which finds a
 * module's own resources whether it runs on the class path or on the module path (where a class
 * loader lookup of a package that is not opened finds nothing). The folder is a package of its own
 * ({@code dev.packetstream.signaling.web}), so it cannot clash with another module's {@code web}
 * folder, neither on the class path nor as a split package on the module path.
 */
public final class Pages {
    /** The pages' folder, as a resource path. */
    public static final String FOLDER = "/dev/packetstream/signaling/web/";
    private static final String WELCOME = "index.html";

    private Pages() {
    }

    /**
     * A handler serving the pages; its resources (a mounted jar when the pages are in one) live as
     * long as {@code jetty}.
     *
     * @throws IllegalStateException when the pages are not in this module (a repackaged jar lost them)
     */
    public static Handler handler(Server jetty) {
        ResourceHandler pages = new ResourceHandler();
        pages.setBaseResource(ResourceFactory.of(jetty).newResource(folder()));
        pages.setDirAllowed(false);
        pages.setWelcomeFiles(WELCOME);
        pages.setCacheControl("no-cache");
        return pages;
    }

    /** The pages' folder as a {@code file:} or {@code jar:} URI. */
    static URI folder() {
        URL welcome = Pages.class.getResource(FOLDER + WELCOME);
        if (welcome == null) {
            throw new IllegalStateException("the browser pages (" + FOLDER + WELCOME + ") are missing from the"
                    + " signaling-server jar: rebuild it, or build the server with servePages(false)");
        }
        try {
            String address = welcome.toURI().toString(); // jar:file:...!/...: opaque, so cut rather than resolve
            return URI.create(address.substring(0, address.length() - WELCOME.length()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the browser pages' address " + welcome + " is not a URI", e);
        }
    }
}
