package dev.packetstream.core.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Exempts a test class from {@link LeakCheckExtension}: only for tests that leak on purpose to
 * prove the leak check works. Say why in {@link #value()}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface AllowsLeaks {
    /** Why this class may leak. */
    String value();
}
