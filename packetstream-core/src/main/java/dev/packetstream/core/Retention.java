package dev.packetstream.core;

/**
 * What an adapter does with the packets it is handed: its side of the ownership contract.
 *
 * <p>Upstream code may reuse or free a borrowed packet's storage once the synchronous call that
 * lent it has returned, or once the packet has crossed the first adapter that reports
 * {@link #CLONED} or {@link #RETAINED}.
 */
public enum Retention {
    /** Uses the packet only during the call; keeps nothing. The default, and the fastest. */
    BORROWED,
    /** Copies ({@link Packet#copy()}) whatever it keeps before the call returns. Queues are CLONED. */
    CLONED,
    /**
     * Keeps reference-counted packets by {@link Packet#retain()} and releases them when done;
     * copies packets that are borrowed and not reference counted.
     */
    RETAINED
}
