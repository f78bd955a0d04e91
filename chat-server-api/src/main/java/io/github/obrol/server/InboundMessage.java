package io.github.obrol.server;

import java.util.Objects;
import java.util.Optional;

/**
 * A chat message on its way through the server: what {@link MessageInterceptor}s inspect and what
 * {@link ServerObserver#onMessage} reports.
 *
 * @param kind broadcast, private message or server notice
 * @param sender the sender's name as it logged in; {@code ""} for a {@link Kind#NOTICE} from the server
 * @param recipient the addressee as the sender wrote it for a {@link Kind#PRIVATE} message, the user a
 *     {@link ChatServer#notice(String, String) notice to one user} is for, else {@code ""}
 * @param text the message text, never empty
 * @param session the sender's connection (address, dialect, connection time) for a user's message, so an
 *     interceptor can judge by more than the name (the reference server supplies it for every user's
 *     message); empty for a {@link Kind#NOTICE} from the server
 */
public record InboundMessage(Kind kind, String sender, String recipient, String text, Optional<SessionInfo> session) {
  /** Where a message goes. */
  public enum Kind {
    /** {@code sendall} / {@code SEND}: every other logged-in user. */
    BROADCAST,
    /** {@code sendto} / {@code SENDTO}: one user. */
    PRIVATE,
    /**
     * An administrator's notice: {@link ChatServer#broadcast(String)} to every logged-in user, or {@link
     * ChatServer#notice(String, String)} to one.
     */
    NOTICE
  }

  /** Validates that no component is null. */
  public InboundMessage {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(recipient, "recipient");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(session, "session");
  }

  /** A message without the sender's session (a server notice). */
  public InboundMessage(Kind kind, String sender, String recipient, String text) {
    this(kind, sender, recipient, text, Optional.empty());
  }

  /** This message with another text; everything else, the session included, stays. */
  public InboundMessage withText(String newText) {
    return new InboundMessage(kind, sender, recipient, newText, session);
  }
}
