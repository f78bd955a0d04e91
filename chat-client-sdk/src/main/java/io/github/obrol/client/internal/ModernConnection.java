package io.github.obrol.client.internal;

import io.github.obrol.client.ProtocolViolationException;
import io.github.obrol.client.ServerErrorException;
import io.github.obrol.protocol.ClientCommand;
import io.github.obrol.protocol.DecodeResult;
import io.github.obrol.protocol.Event;
import io.github.obrol.protocol.ModernCommandEncoder;
import io.github.obrol.protocol.ModernServerMessageDecoder;
import io.github.obrol.protocol.ProtocolDefaults;
import io.github.obrol.protocol.Reply;
import io.github.obrol.protocol.ServerMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The modern dialect (PROTOCOL.md section 6): {@code HELLO} and {@code LOGIN} pipelined, every request
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
    // Both go out at once: the server answers them in order, so no round trip is wasted.
    submitInternal(new ClientCommand.Hello(List.of(ProtocolDefaults.VERSION)), Pending.Kind.HELLO);
    submitInternal(new ClientCommand.Login(config.username()), Pending.Kind.LOGIN);
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
      case LOGIN:
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
