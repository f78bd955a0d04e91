package io.github.obrol.client;

/**
 * Why a {@link ChatClient} operation failed. Futures returned by the client complete exceptionally with
 * one of these subtypes (wrapped in a {@link java.util.concurrent.CompletionException} by {@code join()},
 * or an {@link java.util.concurrent.ExecutionException} by {@code get()}), and {@link
 * ChatListener#onDisconnected} and {@link ChatListener#onClosed} report them as causes.
 *
 * <p>The set is closed so callers can handle every case:
 *
 * <ul>
 *   <li>{@link ServerErrorException}: the server answered with an error code; the subtypes {@link
 *       NameTakenException}, {@link InvalidNameException} and {@link NoSuchUserException} name the common
 *       ones, and {@link AuthenticationException} the authentication failures.
 *   <li>{@link UnreachableException}: no TCP connection could be opened.
 *   <li>{@link ChatTimeoutException}: the connect or a request took longer than its timeout.
 *   <li>{@link NotConnectedException}: the client is not connected (not yet, reconnecting, or closed).
 *   <li>{@link QueueFullException}: the outbound queue holds too many bytes to take the frame.
 *   <li>{@link ConnectionLostException}: the connection ended before the answer arrived; the request may or
 *       may not have been carried out.
 *   <li>{@link ProtocolViolationException}: the server sent something the protocol does not allow here.
 *   <li>{@link TlsException}: the TLS handshake failed (certificate expired, for another host, untrusted).
 * </ul>
 */
public abstract sealed class ChatException extends RuntimeException
    permits ServerErrorException,
        UnreachableException,
        ChatTimeoutException,
        NotConnectedException,
        QueueFullException,
        ConnectionLostException,
        ProtocolViolationException,
        TlsException {
  private static final long serialVersionUID = 1L;

  ChatException(String message, Throwable cause) {
    super(message, cause);
  }
}
