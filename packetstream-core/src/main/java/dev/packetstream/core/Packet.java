package dev.packetstream.core;

/**
 * Everything that moves through a {@link PacketStream}: media frames, encoded packets, raw bytes.
 *
 * <h2>Ownership</h2>
 * A packet is one of three kinds, fixed when it is made:
 * <ul>
 *   <li><b>owned</b> (e.g. {@link RawPacket#copyOf}): its storage belongs to the packet and the
 *       garbage collector frees it. Whoever made it must not change it after emitting it; any
 *       number of stages may keep it without copying.</li>
 *   <li><b>borrowed</b> (e.g. {@link RawPacket#borrow}): it wraps the caller's storage, which the
 *       caller reuses as soon as the synchronous call that lent it returns. A stage that keeps it
 *       must {@link #copy()} it inside the call.</li>
 *   <li><b>reference counted</b> (native storage such as a libwebrtc or FFmpeg frame): its creator
 *       holds one reference and releases it after its emit call returns; a stage that keeps it
 *       calls {@link #retain()} inside the call and {@link #release()} when done. The storage is
 *       freed when the count reaches zero.</li>
 * </ul>
 * In checked mode ({@link Ownership}) these rules are enforced: each stage is handed a lease of a
 * borrowed or reference-counted packet that expires when its call returns.
 *
 * <h2>Writing a packet type</h2>
 * Subclass this class, implement {@link #size()} and {@link #copy()} (a deep copy into owned
 * storage), and call {@link #checkAccess()} first in every accessor of the payload. Checked mode
 * lends a stage a shallow clone of the packet ({@link Object#clone()}), so fields must be safe to
 * share between a packet and its views: payload buffers are shared by design.
 *
 * <h2>Threads</h2>
 * A packet is not thread safe for writing. Reference counting is thread safe.
 */
public abstract class Packet implements Cloneable {
    /** Flag: the last packet of a stream; the stream stops after it has passed through. */
    public static final int FLAG_FINAL = 1;
    /** Flag: a video keyframe (or a packet from which decoding can start). */
    public static final int FLAG_KEYFRAME = 1 << 1;
    /** Flag: the packet is a discontinuity (e.g. a seek or a source restart). */
    public static final int FLAG_DISCONTINUITY = 1 << 2;

    private final int flags;
    private final boolean borrowed;
    private final RefCount refs;
    private Object info;
    /** Checked mode: the loan this view was made for; null on the original packet. */
    private Lease lease;

    /** An owned packet. */
    protected Packet(int flags) {
        this(flags, false, null, null);
    }

    /**
     * An owned packet, or a borrowed one when {@code borrowed} is true: borrowed packets wrap
     * storage the caller reuses after the call that lent them returns.
     */
    protected Packet(int flags, boolean borrowed) {
        this(flags, borrowed, null, null);
    }

    /**
     * A reference-counted packet with one reference, held by the caller. {@code deallocator} runs
     * once, on the thread of the last {@link #release()}; it must not reference this packet (the
     * leak detector can only see a packet that nothing else keeps alive).
     */
    protected Packet(int flags, Runnable deallocator) {
        this(flags, false, requireDeallocator(deallocator), LeakDetector.global());
    }

    /**
     * A reference-counted packet tracked (in checked mode) by {@code detector} rather than the
     * global one: for tests of leak detection itself.
     */
    protected Packet(int flags, Runnable deallocator, LeakDetector detector) {
        this(flags, false, requireDeallocator(deallocator), detector);
    }

    /**
     * The general form: owned (not {@code borrowed}, no deallocator), borrowed, or, when
     * {@code deallocator} is not null, reference counted with one reference held by the caller
     * (see {@link #Packet(int, Runnable)}). A packet cannot be both borrowed and reference counted.
     */
    protected Packet(int flags, boolean borrowed, Runnable deallocator) {
        this(flags, borrowed, deallocator, LeakDetector.global());
    }

    private Packet(int flags, boolean borrowed, Runnable deallocator, LeakDetector detector) {
        if (borrowed && deallocator != null) {
            throw new IllegalArgumentException("a packet is either borrowed or reference counted, not both");
        }
        this.flags = flags;
        this.borrowed = borrowed;
        this.refs = deallocator == null ? null
                : new RefCount(deallocator, Ownership.CHECKED ? detector : null, getClass().getSimpleName());
    }

    private static Runnable requireDeallocator(Runnable deallocator) {
        if (deallocator == null) {
            throw new IllegalArgumentException("a reference-counted packet needs a deallocator");
        }
        return deallocator;
    }

    /** The payload's size in bytes. */
    public abstract int size();

    /**
     * A deep copy whose storage is owned by the copy: the copy stays valid
     * whatever happens to this packet's storage afterwards.
     */
    public abstract Packet copy();

    /** The packet's flags ({@link #FLAG_FINAL}, {@link #FLAG_KEYFRAME}, ...). */
    public final int flags() {
        return flags;
    }

    /** Whether the packet carries {@link #FLAG_FINAL}. */
    public final boolean isFinal() {
        return (flags & FLAG_FINAL) != 0;
    }

    /** Whether the packet carries all of {@code flag}. */
    public final boolean hasFlag(int flag) {
        return (flags & flag) == flag;
    }

    /**
     * An opaque slot for application metadata. Not copied by {@link #copy()} unless a subclass
     * does; a stage's checked-mode view starts with the value the packet had when it was lent.
     */
    public Object info() {
        checkAccess();
        return info;
    }

    /** Sets the application metadata slot. */
    public void setInfo(Object info) {
        checkAccess();
        this.info = info;
    }

    /** Whether the packet wraps storage its creator reuses after the call that lent it. */
    public final boolean isBorrowed() {
        return borrowed;
    }

    /** Whether the packet's storage is reference counted. */
    public final boolean isRefCounted() {
        return refs != null;
    }

    /** The reference count; 1 for packets that are not reference counted. */
    public final int refCnt() {
        return refs == null ? 1 : refs.get();
    }

    /**
     * Takes one more reference. On a packet that is not reference counted this does nothing. In
     * checked mode, a stage that declared {@link Retention#BORROWED} may not retain.
     *
     * @return this packet
     */
    public final Packet retain() {
        if (refs == null) {
            return this;
        }
        Lease l = lease;
        if (Ownership.CHECKED && l != null) {
            if (l.retention == Retention.BORROWED) {
                throw new IllegalStateException("stage '" + l.stage + "' of stream '" + l.stream
                        + "' declares Retention.BORROWED but retained a packet (" + describeForError()
                        + "); declare Retention.RETAINED in its constructor");
            }
            if (l.expired()) {
                throw l.expiredError(this);
            }
            l.markRetained();
        }
        refs.retain(describeForError());
        return this;
    }

    /**
     * Gives back one reference. On a packet that is not reference counted this does nothing and
     * returns false.
     *
     * @return true when this released the last reference and the storage was freed
     */
    public final boolean release() {
        if (refs == null) {
            return false;
        }
        Lease l = lease;
        if (Ownership.CHECKED && l != null) {
            l.markReleased();
        }
        return refs.release(describeForError());
    }

    /** Records where the packet was last seen, for leak reports (checked mode). Returns this packet. */
    public final Packet touch(Object hint) {
        if (Ownership.CHECKED && refs != null) {
            refs.touch(hint);
        }
        return this;
    }

    /**
     * Call first in every accessor of the payload. Throws {@link PacketExpiredException} when a
     * stage touches a lease that has expired (checked mode), and
     * {@link IllegalReferenceCountException} when reference-counted storage has been freed.
     */
    protected final void checkAccess() {
        if (Ownership.CHECKED) {
            Lease l = lease;
            if (l != null && l.expired()) {
                throw l.expiredError(this);
            }
        }
        RefCount r = refs;
        if (r != null && r.get() <= 0) {
            throw new IllegalReferenceCountException(describeForError()
                    + " was used after its last release (refCnt 0)");
        }
    }

    /** A short description for error messages; must not touch the payload. */
    protected String describeForError() {
        return getClass().getSimpleName();
    }

    /** Whether the stream must lend this packet as an expiring view in checked mode. */
    final boolean needsLease() {
        return borrowed || refs != null;
    }

    /** Checked mode: a shallow clone of this packet that shares its storage, lent to one stage. */
    final Packet lend(String stream, String stage, Retention retention) {
        checkAccess();
        Packet view;
        try {
            view = (Packet) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
        view.lease = new Lease(stream, stage, retention);
        if (refs != null) {
            refs.touch(stream + "/" + stage);
        }
        return view;
    }

    /** Checked mode: ends the loan of a view made by {@link #lend}. */
    final void expire() {
        Lease l = lease;
        if (l != null) {
            l.expire();
        }
    }

    @Override
    public String toString() {
        return describeForError();
    }
}
