package io.github.obrol.client.internal;

import io.github.obrol.client.AuthenticationException;
import io.github.obrol.client.Credentials;
import io.github.obrol.client.ProtocolViolationException;
import io.github.obrol.client.ServerErrorException;
import io.github.obrol.protocol.ClientCommand;
import io.github.obrol.protocol.DecodeResult;
import io.github.obrol.protocol.ErrorCode;
import io.github.obrol.protocol.Event;
import io.github.obrol.protocol.ModernCommandEncoder;
import io.github.obrol.protocol.ModernServerMessageDecoder;
import io.github.obrol.protocol.ProtocolDefaults;
import io.github.obrol.protocol.Reply;
import io.github.obrol.protocol.ServerMessage;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The modern dialect (PROTOCOL.md section 6): {@code HELLO} and {@code LOGIN} pipelined (with credentials:
 * {@code HELLO}, then {@code AUTH} once the greeting offers the mechanism, then {@code LOGIN}), every request
 * answered once and in order (MD-REPLY-1) so answers are matched to a FIFO of pending requests, keep-alive
 * {@code PING}s when the server announces an idle timeout (MD-KEEPALIVE-1), {@code QUIT} on close.
 */
final class ModernConnection extends Connection {
  private static final Logger log = LoggerFactory.getLogger(ModernConnection.class);

  private boolean quitQueued;
  /** Whether {@code OK HELLO} arrived; read and written on the reader thread only. */
  private boolean greeted;
  private ScheduledFuture<?> keepAlive;

  ModernConnection(DefaultChatClient client) {
    super(client);
  }

  @Override
  byte[] encode(ClientCommand command) {
    return ModernCommandEncoder.encode(command);
  }

  @Override
  boolean hasAnswer(Pending.Kind kind) {
    return true;
  }

  @Override
  boolean everyRequestIsAnswered() {
    return true;
  }

  @Override
  boolean batchWrites() {
    return true;
  }

  @Override
  void startLogin() {
    submitInternal(new ClientCommand.Hello(List.of(ProtocolDefaults.VERSION)), Pending.Kind.HELLO);
    if (config.credentials() == null) {
      // Both go out at once: the server answers them in order, so no round trip is wasted.
      submitInternal(new ClientCommand.Login(config.username()), Pending.Kind.LOGIN);
    }
    // With credentials, AUTH waits for the greeting (which mechanisms are offered, AUTH-2) and LOGIN waits
    // for OK AUTH: a LOGIN pipelined behind a failed AUTH would log in anonymously on a server that
    // does not require authentication.
  }

  /** The SCRAM-SHA-256 exchange in progress on this connection, or null (AUTH-14). */
  private ScramClient scram;

  /** After {@code OK HELLO}: sends {@code AUTH} with the credentials if the greeting offers their mechanism. */
  private void authenticate(Reply.HelloOk hello) {
    Credentials credentials = config.credentials();
    String mechanism = credentials.mechanism();
    String offered = hello.capabilities().getOrDefault("auth", "");
    if (!Arrays.asList(offered.split(",")).contains(mechanism)) {
      String why = offered.isEmpty() ? "the server does not authenticate (its greeting has no auth capability, AUTH-2)"
          : "the server does not offer " + mechanism + " on this connection (it offers auth=" + offered + ", AUTH-2"
              + (config.tls() == null ? "; PLAIN and TOKEN need TLS, AUTH-9" : "") + ")";
      end(new AuthenticationException(ErrorCode.AUTH_UNSUPPORTED, why + "; no credentials were sent"));
      return;
    }
    ClientCommand.Authenticate command;
    try {
      if (credentials instanceof Credentials.Scram) {
        Credentials.Scram c = (Credentials.Scram) credentials;
        char[] password = c.password();
        try {
          scram = new ScramClient(c.account(), password);
        } finally {
          Arrays.fill(password, '\0');
        }
        command = new ClientCommand.Authenticate(mechanism, scram.clientFirst());
      } else {
        command = new ClientCommand.Authenticate(mechanism, initialResponse(credentials));
      }
    } catch (RuntimeException e) {
      // Never the value in the message: it may be (part of) a secret.
      end(new AuthenticationException(ErrorCode.AUTH_FAILED,
          "the client could not prepare its " + mechanism + " credentials: " + e.getClass().getSimpleName()));
      return;
    }
    submitInternal(command, Pending.Kind.AUTH);
  }

  /** PLAIN: base64(empty authzid NUL account NUL password) (RFC 4616, AUTH-8); TOKEN: the JWT from the supplier. */
  private static String initialResponse(Credentials credentials) {
    if (credentials instanceof Credentials.Token) {
      String token = ((Credentials.Token) credentials).source().get();
      if (token == null || token.isEmpty()) {
        throw new IllegalStateException("the token supplier returned no token");
      }
      return token.strip();
    }
    Credentials.Password password = (Credentials.Password) credentials;
    char[] secret = password.password();
    byte[] account = password.account().getBytes(StandardCharsets.UTF_8);
    ByteBuffer encodedSecret = StandardCharsets.UTF_8.encode(CharBuffer.wrap(secret));
    byte[] message = new byte[1 + account.length + 1 + encodedSecret.remaining()];
    message[0] = 0;
    System.arraycopy(account, 0, message, 1, account.length);
    message[1 + account.length] = 0;
    encodedSecret.get(message, 2 + account.length, encodedSecret.remaining());
    try {
      return Base64.getEncoder().encodeToString(message);
    } finally {
      Arrays.fill(secret, '\0');
      Arrays.fill(message, (byte) 0);
      if (encodedSecret.hasArray()) {
        Arrays.fill(encodedSecret.array(), (byte) 0);
      }
    }
  }

  @Override
  void afterWrite(List<Outbound> sent) {}

  @Override
  void onDrained() {
    lock.lock();
    try {
      if (quitQueued || ended) {
        return;
      }
      quitQueued = true;
    } finally {
      lock.unlock();
    }
    // Its answer comes after every earlier answer (MD-REPLY-1), so OK QUIT means nothing is outstanding.
    submitInternal(new ClientCommand.Quit(client.quitReason()), Pending.Kind.QUIT);
  }

  @Override
  void onEnded() {
    lock.lock();
    try {
      if (keepAlive != null) {
        keepAlive.cancel(false);
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  void onLine(byte[] line) {
    DecodeResult<ServerMessage> decoded = ModernServerMessageDecoder.decode(line);
    if (!decoded.isSuccess()) {
      if (!greeted && line.length > 0 && line[0] == '\r') {
        // A classic-only server (such as the original chatserver.py) answers HELLO with a classic frame,
        // for example "\rinvalid command": fail at once instead of waiting for the connect timeout.
        end(new ProtocolViolationException("the server answered the modern greeting with a classic-dialect frame \""
            + new String(line, StandardCharsets.UTF_8).strip()
            + "\": it speaks only the classic dialect (PROTOCOL.md section 5); connect with Dialect.CLASSIC"));
        return;
      }
      // CLIENT-1: unknown or malformed events are ignored.
      log.debug("ignored server line: {}", ((DecodeResult.Failure<ServerMessage>) decoded).message());
      return;
    }
    ServerMessage message = decoded.value();
    if (message instanceof Event) {
      onEvent((Event) message);
    } else {
      onReply((Reply) message);
    }
  }

  private void onReply(Reply reply) {
    Pending pending = pollAwaiting();
    if (pending == null) {
      end(new ProtocolViolationException("reply " + reply + " answers no request (MD-REPLY-1)"));
      return;
    }
    if (reply instanceof Reply.Error) {
      onError(pending, (Reply.Error) reply);
      return;
    }
    switch (pending.kind) {
      case HELLO:
        if (reply instanceof Reply.HelloOk) {
          greeted = true;
          startKeepAlive((Reply.HelloOk) reply);
          if (config.credentials() != null) {
            authenticate((Reply.HelloOk) reply);
          }
          return;
        }
        break;
      case AUTH:
        if (reply instanceof Reply.AuthOk) {
          if (scram != null) {
            boolean proved = scram.serverProved(((Reply.AuthOk) reply).serverFinal());
            scram.clear();
            scram = null;
            if (!proved) {
              // AUTH-14: a server that cannot sign the exchange does not hold the account's key.
              end(new AuthenticationException(ErrorCode.AUTH_FAILED, "the server did not prove that it knows the"
                  + " account's key (its SCRAM-SHA-256 server signature is missing or wrong, RFC 5802)"));
              return;
            }
          }
          submitInternal(new ClientCommand.Login(config.username()), Pending.Kind.LOGIN);
          return;
        }
        if (reply instanceof Reply.AuthChallenge && scram != null) {
          String clientFinal = scram.clientFinal(((Reply.AuthChallenge) reply).challenge());
          if (clientFinal == null) {
            scram.clear();
            scram = null;
            end(new AuthenticationException(ErrorCode.AUTH_FAILED, "the server's SCRAM-SHA-256 challenge is malformed,"
                + " does not extend the client's nonce, or asks for too many iterations (RFC 5802, AUTH-14)"));
            return;
          }
          submitInternal(new ClientCommand.AuthResponse(clientFinal), Pending.Kind.AUTH);
          return;
        }
        if (reply instanceof Reply.AuthChallenge) {
          // PLAIN and TOKEN finish in one step (AUTH-8); a challenge is not ours to answer: give up.
          end(new AuthenticationException(ErrorCode.AUTH_FAILED,
              "the server answered " + config.credentials().mechanism() + " with a challenge (AUTH-8 says it finishes"
                  + " in one step)"));
          return;
        }
        break;
      case LOGIN:
        if (reply instanceof Reply.LoginOk) {
          loggedIn();
          return;
        }
        break;
      case LIST:
        if (reply instanceof Reply.UserList) {
          succeed(pending, ((Reply.UserList) reply).names());
          return;
        }
        break;
      case SEND_ALL:
        if (reply instanceof Reply.SendAllOk) {
          succeed(pending, null);
          return;
        }
        break;
      case SEND_TO:
        if (reply instanceof Reply.SendToOk) {
          succeed(pending, null);
          return;
        }
        break;
      case PING:
        if (reply instanceof Reply.PingOk) {
          return;
        }
        break;
      case QUIT:
        if (reply instanceof Reply.QuitOk) {
          end(null);
          return;
        }
        break;
      default:
        break;
    }
    end(new ProtocolViolationException(
        "reply " + reply + " does not answer " + pending.kind + " (expected: its OK reply or ERR, MD-REPLY-1)"));
  }

  private void onError(Pending pending, Reply.Error error) {
    ServerErrorException failure = ServerErrorException.of(error.code(), error.text());
    switch (pending.kind) {
      case HELLO:
      case AUTH:
      case LOGIN:
        if (scram != null) {
          scram.clear();
          scram = null;
        }
        // MD-LOGIN-2: the connection would stay open and anonymous; this client gives up on it.
        end(failure);
        return;
      case PING:
      case QUIT:
        log.debug("{} refused: {}", pending.kind, failure.getMessage());
        if (pending.kind == Pending.Kind.QUIT) {
          end(null);
        }
        return;
      default:
        fail(pending, failure);
    }
  }

  private void startKeepAlive(Reply.HelloOk hello) {
    long idleSeconds = hello.capabilityAsLong("idle", 0);
    if (idleSeconds <= 0) {
      return;
    }
    // MD-KEEPALIVE-1: ping after idle/2 without sending; check twice as often as that.
    Duration quietLimit = Duration.ofMillis(idleSeconds * 500);
    lock.lock();
    try {
      if (ended) {
        return;
      }
      keepAlive = ClientThreads.scheduleWithFixedDelay(() -> {
        if (System.nanoTime() - lastWriteNanos >= quietLimit.toNanos()) {
          lock.lock();
          try {
            if (ended || draining) {
              return;
            }
          } finally {
            lock.unlock();
          }
          submitInternal(new ClientCommand.Ping(""), Pending.Kind.PING);
        }
      }, quietLimit.dividedBy(2));
    } finally {
      lock.unlock();
    }
  }
}
