package dev.packetstream.core.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The module descriptor a module's build compiled ({@code module-info.class} beside its classes, in
 * {@code target/classes} or in its jar), read with {@link ModuleDescriptor#read}, and the packages
 * its class folder holds. For tests that check what a module exports: the tests themselves run on
 * the class path, where {@code getModule().getDescriptor()} is null.
 */
public final class CompiledModule {
    /** The system property naming the file that lists the module's runtime dependencies' jars. */
    public static final String RUNTIME_CLASSPATH = "packetstream.runtimeClasspath";

    private final ModuleDescriptor descriptor;

    private CompiledModule(ModuleDescriptor descriptor) {
        this.descriptor = descriptor;
    }

    /**
     * The compiled descriptor of the module that holds {@code member} (any class of its main code).
     *
     * @throws IllegalStateException when the class's folder has no {@code module-info.class}
     */
    public static CompiledModule of(Class<?> member) {
        Path classes = classFolder(member);
        Path info = classes.resolve("module-info.class");
        if (!Files.isRegularFile(info)) {
            throw new IllegalStateException(classes + " has no module-info.class: the module declares no module");
        }
        try (InputStream in = Files.newInputStream(info)) {
            return new CompiledModule(ModuleDescriptor.read(in, () -> packagesIn(classes)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + info, e);
        }
    }

    /**
     * A module path to start the module that holds {@code member} on: its class folder (a module, as
     * it holds module-info.class) and its runtime dependencies' jars, which the build lists in the
     * file named by the system property {@value #RUNTIME_CLASSPATH} (the parent POM's
     * {@code dependency:build-classpath}).
     *
     * @throws IllegalStateException when the test does not run through Maven (no listing)
     */
    public static String modulePath(Class<?> member) {
        String listing = System.getProperty(RUNTIME_CLASSPATH);
        if (listing == null || !Files.isRegularFile(Path.of(listing))) {
            throw new IllegalStateException("no runtime dependency listing (system property " + RUNTIME_CLASSPATH
                    + " = " + listing + "): run this test through Maven, whose generate-test-resources phase writes it");
        }
        try {
            return classFolder(member) + File.pathSeparator
                    + Files.readString(Path.of(listing), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + listing, e);
        }
    }

    /** The module's name. */
    public String name() {
        return descriptor.name();
    }

    /** The packages exported to every module (qualified exports are not in it). */
    public Set<String> exportedPackages() {
        return descriptor.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The packages opened to reflection by any module (qualified or not). */
    public Set<String> openedPackages() {
        return descriptor.opens().stream().map(ModuleDescriptor.Opens::source)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Every package of the module (class and resource folders), exported or not. */
    public Set<String> packages() {
        return new TreeSet<>(descriptor.packages());
    }

    /** The names of the modules this one requires, {@code java.base} included. */
    public Set<String> requiredModules() {
        return descriptor.requires().stream().map(ModuleDescriptor.Requires::name)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    public ModuleDescriptor descriptor() {
        return descriptor;
    }

    private static Path classFolder(Class<?> member) {
        Path classes;
        try {
            classes = Path.of(member.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the location of " + member + " is not a path", e);
        }
        if (!Files.isDirectory(classes)) {
            throw new IllegalStateException(member + " was loaded from " + classes
                    + ", not a class folder: run the test from the module's build (target/classes)");
        }
        return classes;
    }

    /** Folders under {@code classes} that hold a file, as package names (the unnamed folder left out). */
    private static Set<String> packagesIn(Path classes) {
        try (Stream<Path> files = Files.walk(classes)) {
            return files.filter(Files::isRegularFile).map(f -> classes.relativize(f).getParent())
                    .filter(dir -> dir != null)
                    .map(dir -> dir.toString().replace(dir.getFileSystem().getSeparator(), "."))
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + classes, e);
        }
    }
}
