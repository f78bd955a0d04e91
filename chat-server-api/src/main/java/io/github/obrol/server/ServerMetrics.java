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
 * @param rateLimited commands refused with {@code RATE_LIMITED}
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
    long rateLimited) {}
