package dev.packetstream.signaling.internal;

import dev.packetstream.signaling.SignalingLimits;
import dev.packetstream.signaling.TokenIssuer;
import java.util.Set;

/**
 * What every connection of one server shares. Immutable (the members are thread-safe).
 *
 * @param tokens    null when the server does not require tokens
 * @param inbound   the budget of unfinished incoming messages
 * @param outbound  the budget of queued outgoing messages
 * @param endpoints the open connections, swept by the server's timer for idle and write timeouts
 */
public record ServerContext(SignalingLimits limits, MessageValidator validator, ServerMessages messages,
                            Rooms registry, Counters counters, TokenIssuer tokens, MemoryBudget inbound,
                            MemoryBudget outbound,
                            AddressQuota quota, FatalErrors fatal, Set<SignalingEndpoint> endpoints) {
}
