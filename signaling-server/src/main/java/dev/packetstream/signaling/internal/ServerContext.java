package dev.packetstream.signaling.internal;

import dev.packetstream.signaling.SignalingLimits;
import dev.packetstream.signaling.TokenIssuer;

/**
 * What every connection of one server shares. Immutable.
 *
 * @param tokens null when the server does not require tokens
 */
public record ServerContext(SignalingLimits limits, MessageValidator validator, ServerMessages messages,
                            Rooms registry, Counters counters, TokenIssuer tokens) {
}
