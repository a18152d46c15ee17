package dev.packetstream.core;

/**
 * The checked ownership mode switch.
 *
 * <p>Checked mode is read once, from the system property {@value #PROPERTY}, when this class is
 * initialised. It is a {@code static final} constant so that, when off, the JIT folds every check
 * away: the hot path pays nothing. Every module's tests run with it on (the parent POM sets it).
 *
 * <p>With checked mode on:
 * <ul>
 *   <li>each stage receives a borrowed or reference-counted packet as a <em>lease</em>: a view of
 *       the same storage that expires when the synchronous call that lent it returns. Any access
 *       after that throws {@link PacketExpiredException} naming the stage that kept it;</li>
 *   <li>a stage that declares {@link Retention#BORROWED} and calls {@link Packet#retain()} is
 *       refused, because its declaration says it never keeps packets;</li>
 *   <li>reference-counted packets are tracked by the {@link LeakDetector}: one that is garbage
 *       collected without its last {@link Packet#release()} is reported with the stages that last
 *       touched it.</li>
 * </ul>
 */
public final class Ownership {
    /** The system property that turns checked mode on: {@code -Dpacketstream.checked=true}. */
    public static final String PROPERTY = "packetstream.checked";

    /** Whether checked mode is on in this JVM. */
    public static final boolean CHECKED = Boolean.getBoolean(PROPERTY);

    private Ownership() {
    }

    /** Whether checked mode is on in this JVM. */
    public static boolean isChecked() {
        return CHECKED;
    }
}
