package io.github.obrol.server;

/**
 * A snapshot of a server's counters ({@link ChatServer#metrics()}); counters count from the server's start.
 *
 * @param connections connections open now
 * @param users logged-in users now
 * @param loginsAccepted logins accepted
 * @param loginsRejected logins refused (name taken, invalid, rejected by the authenticator)
 * @param framesIn frames received (complete lines, and overlong lines once each)
 * @param framesOut frames written (replies and events)
 * @param bytesIn bytes received
 * @param bytesOut bytes written
 * @param deliveries events delivered to recipients (one per recipient of a message, join, leave or notice)
 * @param slowConsumerDisconnects connections closed with {@code SLOW_CONSUMER}
 * @param decodeErrors frames refused as invalid (command, encoding, line length)
 * @param rateLimited times a connection's reading was paused because its commands came faster than the
 *     rate limit (GEN-LIMIT-9; the reference server delays such commands rather than refusing them)
 * @param internalErrors frames the server failed to process ({@code INTERNAL_ERROR})
 * @param refusedConnections connections closed at accept without a frame: over the socket cap (GEN-LIMIT-7)
 *     or the per-address connection rate or anonymous-connection cap (GEN-LIMIT-10)
 * @param observerEventsDropped observer events dropped because the observer queue was full
 * @param authSuccesses {@code AUTH} exchanges that succeeded (PROTOCOL.md section 8)
 * @param authFailures {@code AUTH} exchanges that failed ({@code AUTH_FAILED}, AUTH-5)
 * @param authThrottled {@code AUTH} requests refused with {@code AUTH_THROTTLED} (AUTH-11)
 * @param authNanos nanoseconds spent in credential verifiers, in total
 */
public record ServerMetrics(
    long connections,
    long users,
    long loginsAccepted,
    long loginsRejected,
    long framesIn,
    long framesOut,
    long bytesIn,
    long bytesOut,
    long deliveries,
    long slowConsumerDisconnects,
    long decodeErrors,
    long rateLimited,
    long internalErrors,
    long refusedConnections,
    long observerEventsDropped,
    long authSuccesses,
    long authFailures,
    long authThrottled,
    long authNanos) {}
