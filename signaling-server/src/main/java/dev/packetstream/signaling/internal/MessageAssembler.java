package dev.packetstream.signaling.internal;

/**
 * Puts one connection's text message together from the fragments Jetty hands over as they arrive,
 * holding at most {@code maxBytes} UTF-8 bytes of it, reserved in the server's {@link MemoryBudget}.
 * A message that grows past {@code maxBytes} is not kept: the rest is only counted, and the
 * message ends as {@link Result#TOO_LARGE} (or {@link Result#FAR_TOO_LARGE} past four times).
 *
 * <h2>Threads</h2>
 * One per connection, fed from the connection's serial callbacks; {@link #reset} may come from
 * the close on another thread, so the methods are synchronized (never contended in practice).
 */
final class MessageAssembler {
    /** What a fragment made of the message so far. */
    enum Result {
        /** More fragments are needed. */
        INCOMPLETE,
        /** The message is complete: {@link #take()} it. */
        COMPLETE,
        /** The message was over the limit; nothing of it is kept (reported when it ends). */
        TOO_LARGE,
        /** The message passed four times the limit: close the connection now. */
        FAR_TOO_LARGE,
        /** The server's budget cannot hold this fragment: close the connection now. */
        NO_BUDGET
    }

    /** An unfinished message longer than this is a bulk holder of the budget. */
    static final long BULK_BYTES = 16 * 1024;

    private final int maxBytes;
    private final MemoryBudget budget;
    private StringBuilder text;
    private long bytes;
    private long reserved;
    private boolean discarding;
    private String pending;
    private long lastMessageBytes;

    MessageAssembler(int maxBytes, MemoryBudget budget) {
        this.maxBytes = maxBytes;
        this.budget = budget;
    }

    synchronized Result append(String fragment, boolean last) {
        bytes += Utf8.length(fragment);
        if (bytes > 4L * maxBytes) {
            lastMessageBytes = bytes;
            reset();
            return Result.FAR_TOO_LARGE;
        }
        if (bytes > maxBytes) {
            if (!discarding) {
                discarding = true;
                free();
            }
            if (last) {
                lastMessageBytes = bytes;
                reset();
                return Result.TOO_LARGE;
            }
            return Result.INCOMPLETE;
        }
        if (last && text == null) {
            pending = fragment; // the common case: a whole message in one fragment, never copied
            reset();
            return Result.COMPLETE;
        }
        long more = bytes - reserved;
        if (!budget.tryReserve(more, bytes > BULK_BYTES)) {
            reset();
            return Result.NO_BUDGET;
        }
        reserved += more;
        if (text == null) {
            text = new StringBuilder(fragment.length() * 2);
        }
        text.append(fragment);
        if (last) {
            pending = text.toString();
            reset();
            return Result.COMPLETE;
        }
        return Result.INCOMPLETE;
    }

    /** The message completed by the last {@link #append}. */
    synchronized String take() {
        String message = pending;
        pending = null;
        return message;
    }

    /** The size in bytes of the last message that was too large. */
    synchronized long lastMessageBytes() {
        return lastMessageBytes;
    }

    /** Drops what is held (the connection closed). */
    synchronized void reset() {
        free();
        bytes = 0;
        discarding = false;
    }

    private void free() {
        text = null;
        if (reserved > 0) {
            budget.release(reserved);
            reserved = 0;
        }
    }
}
