package io.github.obrol.client.internal;

import io.github.obrol.client.ServerErrorException;
import io.github.obrol.protocol.ClassicCommandEncoder;
import io.github.obrol.protocol.ClassicServerMessageDecoder;
import io.github.obrol.protocol.ClientCommand;
import io.github.obrol.protocol.DecodeResult;
import io.github.obrol.protocol.ErrorCode;
import io.github.obrol.protocol.Event;
import io.github.obrol.protocol.Reply;
import io.github.obrol.protocol.ServerMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic dialect (PROTOCOL.md section 5), doing its best with what the wire carries:
 *
 * <ul>
 *   <li>The login has no reply (CL-LOGIN-2): after it the writer waits the quiet period, then sends
 *       {@code list}; the login is accepted when the list names the user. An error before that fails it.
 *       Without a list after ten quiet periods it asks again: a server that frames by read boundaries may
 *       have merged the request into the login frame.
 *   <li>A user list has no end marker (CL-LIST-2): it ends at the next CR frame, at the end of input, or
 *       after the quiet period without a byte, detected with a socket read timeout.
 *   <li>Frames go out one at a time (CL-FRAME-4): after a list the writer waits for the list, after a
 *       message it pauses the frame spacing. Message futures complete once written: nothing answers them.
 *   <li>Errors after the login are not tied to a request; they go to the listener.
 *   <li>A frame the decoder does not recognise fails a login that is not yet confirmed, and afterwards
 *       reaches the listener as the server's text ({@code ChatListener.onServerText}).
 * </ul>
 */
final class ClassicConnection extends Connection {
  private static final Logger log = LoggerFactory.getLogger(ClassicConnection.class);

  /** Quiet periods to wait for the list that confirms the login before asking again. */
  private static final int CONFIRM_RETRY_QUIET_PERIODS = 10;
  /** Bound on those requests; the connect timeout usually ends the wait first. */
  private static final int MAX_CONFIRM_REQUESTS = 100;

  private final ClassicServerMessageDecoder decoder = new ClassicServerMessageDecoder();
  /** The line being decoded, so that a frame the decoder does not recognise can be shown as sent. */
  private byte[] currentLine;

  ClassicConnection(DefaultChatClient client) {
    super(client);
  }

  @Override
  byte[] encode(ClientCommand command) {
    return ClassicCommandEncoder.encode(config.username(), command);
  }

  @Override
  boolean hasAnswer(Pending.Kind kind) {
    return kind == Pending.Kind.LIST || kind == Pending.Kind.LOGIN_CONFIRM;
  }

  @Override
  boolean everyRequestIsAnswered() {
    return false;
  }

  @Override
  boolean batchWrites() {
    return false;
  }

  @Override
  void startLogin() {
    submitInternal(new ClientCommand.Login(config.username()), Pending.Kind.LOGIN);
    submitInternal(new ClientCommand.ListUsers(), Pending.Kind.LOGIN_CONFIRM);
  }

  @Override
  void afterWrite(List<Outbound> sent) throws InterruptedException, IOException {
    for (Outbound o : sent) {
      log.trace("wrote {}", o.command);
      switch (o.pending.kind) {
        case LOGIN:
          // CL-FRAME-4: a login has no reply; give the server its quiet period before the next frame.
          pause(config.classicQuietPeriod().toNanos());
          break;
        case LIST:
          // The list is the effect to wait for before the next frame.
          awaitSettled(o.pending, config.requestTimeout().toNanos());
          break;
        case LOGIN_CONFIRM:
          // A server that frames by read boundaries and was slow to read may have merged this request
          // into the login frame and dropped it; asking again is harmless (the connect timeout bounds it).
          for (int i = 0; i < MAX_CONFIRM_REQUESTS; i++) {
            awaitSettled(o.pending, config.classicQuietPeriod().toNanos() * CONFIRM_RETRY_QUIET_PERIODS);
            if (settledOrEnded(o.pending)) {
              break;
            }
            log.debug("no user list yet after the login of {}; asking again", config.username());
            rewrite(o.bytes);
          }
          break;
        case SEND_ALL:
        case SEND_TO:
          // Nothing on the classic wire answers these: written is as far as we can know.
          succeed(o.pending, null);
          pause(config.classicFrameSpacing().toNanos());
          break;
        default:
          pause(config.classicFrameSpacing().toNanos());
          break;
      }
    }
  }

  @Override
  void onDrained() {
    log.trace("drained; closing");
    // No quit (the original server does not know it, CL-QUIT-1): everything is written, so close.
    end(null);
  }

  @Override
  int readTimeoutMillis() {
    // Only an open list needs the quiet period; otherwise block until bytes arrive.
    return decoder.hasOpenList() ? (int) Math.max(1, config.classicQuietPeriod().toMillis()) : 0;
  }

  @Override
  void onReadTimeout() {
    decoder.endOfBurst(this::onMessage);
  }

  @Override
  void onEndOfInput() {
    decoder.endOfBurst(this::onMessage);
  }

  @Override
  void onLine(byte[] line) {
    currentLine = line;
    decoder.decode(line, this::onMessage);
  }

  private void onMessage(DecodeResult<ServerMessage> decoded) {
    if (!decoded.isSuccess()) {
      log.debug("unrecognised server line: {}", ((DecodeResult.Failure<ServerMessage>) decoded).message());
      onUnrecognised(shown(currentLine));
      return;
    }
    ServerMessage message = decoded.value();
    if (message instanceof Reply.UserList) {
      onUserList(((Reply.UserList) message).names());
    } else if (message instanceof Reply.Error) {
      onError((Reply.Error) message);
    } else if (message instanceof Event) {
      onEvent((Event) message);
    } else {
      log.debug("ignored classic server message {}", message);
    }
  }

  /**
   * A frame the decoder does not recognise (another server's error text, {@code Client off} without a name...):
   * after the login the user sees it as the server's words (not dropped, not guessed at); before the login is
   * confirmed it fails the login, because a classic success has no reply (CL-LOGIN-2) and a list that names
   * the user may name another user of that name. The one exception is {@code Client off}, a documented variant
   * that some servers send to every connection on any departure: before the login it is nobody's business.
   */
  private void onUnrecognised(String text) {
    lock.lock();
    try {
      if (ended) {
        return;
      }
      if (loggedIn) {
        // Under the lock, like events: in order with them, never after the connection's end.
        client.deliverServerText(text);
        return;
      }
    } finally {
      lock.unlock();
    }
    if (text.equals(CLIENT_OFF)) {
      log.debug("\"{}\" before the login is confirmed: not about us", text);
      return;
    }
    end(new ServerErrorException(ErrorCode.LOGIN_REJECTED, "the server answered the login of " + config.username()
        + " with \"" + text + "\", which is not a classic success (that has no reply); not logged in"));
  }

  /** A classic departure notice without the user's name, sent by some servers (PROTOCOL.md section 5.3). */
  private static final String CLIENT_OFF = "Client off";

  /** {@code line} as text for a person: leading CR and trailing blanks removed, control characters as {@code \xNN}. */
  static String shown(byte[] line) {
    String text = new String(line, StandardCharsets.UTF_8);
    int start = text.startsWith("\r") ? 1 : 0;
    int end = text.length();
    while (end > start && (text.charAt(end - 1) == ' ' || text.charAt(end - 1) == '\t' || text.charAt(end - 1) == '\r')) {
      end--;
    }
    StringBuilder b = new StringBuilder(end - start);
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
        b.append(String.format("\\x%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private void onUserList(List<String> names) {
    Pending pending = pollAwaiting();
    log.debug("user list {} answers {}", names, pending);
    if (pending == null) {
      log.debug("ignored a user list nobody asked for: {}", names);
      return;
    }
    if (pending.kind == Pending.Kind.LOGIN_CONFIRM) {
      succeed(pending, null); // releases the writer, which waits for this list (CL-FRAME-4)
      if (names.contains(config.username())) {
        loggedIn();
      } else {
        end(new ServerErrorException(ErrorCode.LOGIN_REJECTED,
            "the user list after the login does not name " + config.username() + ": " + names));
      }
      return;
    }
    succeed(pending, names);
  }

  private void onError(Reply.Error error) {
    lock.lock();
    try {
      if (ended) {
        return;
      }
      if (loggedIn) {
        client.deliverServerError(error.code(), error.text());
        return;
      }
    } finally {
      lock.unlock();
    }
    // Before the login is confirmed any error means it failed: username sudah dipake, invalid name, ...
    end(ServerErrorException.of(error.code(), error.text()));
  }
}
