/**
 * The WebSocket listeners Jetty calls, one for the server's connections and one for the client's.
 *
 * <p>Exported only because Jetty 12 reaches a WebSocket endpoint's methods through
 * {@code MethodHandles.publicLookup()}, which on the module path finds public classes of
 * unconditionally exported packages and nothing else (an endpoint in
 * {@code dev.packetstream.signaling.internal} fails its upgrade with HTTP 500 "Unable to access
 * method"). Nothing here is for users: each listener only hands Jetty's calls to an endpoint of the
 * module's internal package, and can only be built with one (a type users cannot name).
 */
package dev.packetstream.signaling.websocket;
