package io.github.obrol.protocol;

import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * QuickTheories generators of protocol values, shared by the property classes. Every generator draws only from
 * the randomness QuickTheories hands it, so a seed reproduces a run, and shrinks towards short, simple values.
 */
final class ProtocolGenerators {
  private static final String NAME_FIRST = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
  private static final String NAME_REST = NAME_FIRST + "-.";
  /** GEN-NAME-3 and AUTH-1, written out here rather than read from Names.RESERVED. */
  static final Set<String> RESERVED = Set.of("says", "list", "sendall", "sendto", "login", "quit", "hello", "send",
      "ping", "ok", "err", "msg", "priv", "join", "left", "notice", "bye", "auth");

  private ProtocolGenerators() {}

  /** Strings of {@code min} to {@code max} code points drawn from {@code alphabet}. */
  static Gen<String> stringsOf(String alphabet, int min, int max) {
    List<Integer> codePoints = new ArrayList<>();
    alphabet.codePoints().forEach(codePoints::add);
    return lists().of(Generate.pick(codePoints)).ofSizeBetween(min, max).map(list -> {
      StringBuilder b = new StringBuilder();
      list.forEach(b::appendCodePoint);
      return b.toString();
    });
  }

  private static String printableAscii() {
    StringBuilder b = new StringBuilder();
    for (char c = '!'; c <= '~'; c++) {
      b.append(c);
    }
    return b.toString();
  }

  /** Valid names, lengths 1 to 32 (GEN-NAME-1), never reserved (GEN-NAME-3). */
  static Gen<String> names() {
    Gen<String> drawn = stringsOf(NAME_FIRST, 1, 1).zip(stringsOf(NAME_REST, 0, 31), (f, r) -> f + r)
        .assuming(n -> !RESERVED.contains(n.toLowerCase(Locale.ROOT)));
    return drawn.mix(Generate.pick(List.of("a", "A_b-c.d", "x".repeat(32), "_", "9.-")), 10);
  }

  /** Tokens: printable, no spaces (names in events may be any token). */
  static Gen<String> tokens() {
    return stringsOf(printableAscii() + "äéß日本", 1, 20);
  }

  /** Texts a client may send: printable, unicode, runs of spaces, not only spaces. */
  static Gen<String> texts() {
    Gen<String> drawn = stringsOf(" " + printableAscii() + "    äöüé日本語ß\u00a0\ud83d\ude00", 1, 60).assuming(t -> !t.isBlank());
    return drawn.mix(Generate.pick(List.of(" leading", "trailing ", "a    b", "\ud83d\ude00 emoji")), 10);
  }

  /** Texts a server may send: anything but CR and LF, possibly empty. */
  static Gen<String> lineTexts() {
    return stringsOf(" " + printableAscii() + "\t\u0001äöü日本語\u00a0", 0, 60);
  }

  private static Gen<String> emptyOr(Gen<String> gen) {
    return Generate.constant("").mix(gen, 70);
  }

  static Gen<ClientCommand> commands() {
    return Generate.oneOf(
        lists().of(tokens()).ofSizeBetween(1, 3).map(ClientCommand.Hello::new),
        names().map(ClientCommand.Login::new),
        Generate.constant(new ClientCommand.ListUsers()),
        texts().map(ClientCommand.SendAll::new),
        tokens().zip(texts(), ClientCommand.SendTo::new),
        emptyOr(tokens()).map(ClientCommand.Ping::new),
        emptyOr(texts()).map(ClientCommand.Quit::new),
        mechanisms().zip(emptyOr(tokens()), ClientCommand.Authenticate::new),
        tokens().map(ClientCommand.AuthResponse::new),
        Generate.constant(new ClientCommand.AuthAbort()));
  }

  /** AUTH mechanism names (AUTH-3): 1 to 20 of A-Z, 0-9, '-', '_'. */
  static Gen<String> mechanisms() {
    return stringsOf("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", 1, 20)
        .mix(Generate.pick(List.of("PLAIN", "TOKEN", "SCRAM-SHA-256", "EXTERNAL")), 30);
  }

  /** Commands the classic dialect can carry (no HELLO, no PING). */
  static Gen<ClientCommand> classicCommands() {
    return Generate.oneOf(
        names().map(ClientCommand.Login::new),
        Generate.constant(new ClientCommand.ListUsers()),
        texts().map(ClientCommand.SendAll::new),
        tokens().zip(texts(), ClientCommand.SendTo::new),
        emptyOr(texts()).map(ClientCommand.Quit::new));
  }

  static Gen<ServerMessage> serverMessages() {
    Gen<ErrorCode> codes = Generate.enumValues(ErrorCode.class);
    Gen<LeaveReason> reasons = Generate.enumValues(LeaveReason.class).assuming(r -> r != LeaveReason.UNKNOWN);
    Gen<Audience> audiences = Generate.pick(List.of(Audience.BROADCAST, Audience.PRIVATE));
    Gen<Map<String, String>> caps = lists().of(stringsOf("abcdefghijklmnopqrstuvwxyz", 1, 8).zip(tokens(), Map::entry))
        .ofSizeBetween(0, 4)
        .map(entries -> {
          Map<String, String> m = new LinkedHashMap<>();
          entries.forEach(e -> m.putIfAbsent(e.getKey(), e.getValue()));
          return m;
        });
    return Generate.oneOf(
        tokens().zip(caps, Reply.HelloOk::new),
        names().map(Reply.LoginOk::new),
        lists().of(names()).ofSizeBetween(0, 6).map(Reply.UserList::new),
        Generate.constant(new Reply.SendAllOk()),
        names().map(Reply.SendToOk::new),
        emptyOr(tokens()).map(Reply.PingOk::new),
        Generate.constant(new Reply.QuitOk()),
        tokens().assuming(t -> !t.equals("+")).zip(emptyOr(tokens()), Reply.AuthOk::new),
        tokens().map(Reply.AuthChallenge::new),
        codes.zip(lineTexts(), Reply.Error::new),
        names().zip(lineTexts(), audiences, Event.Message::new),
        names().map(Event.UserJoined::new),
        names().zip(reasons, lineTexts(), Event.UserLeft::new),
        lineTexts().map(Event.Notice::new),
        codes.zip(lineTexts(), Event.Bye::new));
  }

  /** Byte streams rich in the bytes that matter to framing: LF, CR, space, NUL, and 's'/'a' for merged logins. */
  static Gen<byte[]> streams(int maxLength) {
    Gen<Byte> interesting = Generate.pick(List.of((byte) '\n', (byte) '\r', (byte) ' ', (byte) 'a', (byte) 's', (byte) 0));
    Gen<Byte> any = Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 'a');
    return Generate.byteArrays(Generate.range(0, maxLength), interesting.mix(any, 25))
        .describedAs(java.util.Arrays::toString);
  }

  /** Up to 10 cut points in {@code 0..max}, where a stream is split into reads. */
  static Gen<List<Integer>> cuts(int max) {
    return lists().of(Generate.range(0, max)).ofSizeBetween(0, 10);
  }

  /** What the classic dialect keeps of {@code message} (section 5.3, 5.4), or null if it has no frame. */
  static ServerMessage classicProjection(ServerMessage message) {
    if (message instanceof Event.Message) {
      Event.Message m = (Event.Message) message;
      return new Event.Message(m.from(), m.text(), Audience.UNKNOWN);
    } else if (message instanceof Event.UserLeft) {
      return new Event.UserLeft(((Event.UserLeft) message).name(), LeaveReason.UNKNOWN, "");
    } else if (message instanceof Event.Bye || message instanceof Reply.Error) {
      ErrorCode code =
          message instanceof Event.Bye ? ((Event.Bye) message).code() : ((Reply.Error) message).code();
      if (message instanceof Reply.Error && code == ErrorCode.REJECTED && !((Reply.Error) message).text().isBlank()) {
        return message; // GEN-REJECT-1: the classic frame carries the reason, "\rmessage rejected: <text>\n"
      }
      return code.isFatal() ? new Event.Bye(code, code.classicText()) : Reply.Error.of(code);
    } else if (message instanceof Event.UserJoined
        || message instanceof Event.Notice
        || message instanceof Reply.UserList) {
      return message;
    }
    return null;
  }

  /** What the classic server decoder makes of {@code command} sent by {@code sender} (section 5.2). */
  static ClassicCommand classicProjection(String sender, ClientCommand command) {
    if (command instanceof ClientCommand.Login) {
      return new ClassicCommand(((ClientCommand.Login) command).name(), command);
    } else if (command instanceof ClientCommand.SendAll) {
      return new ClassicCommand(sender, new ClientCommand.SendAll(ClassicText.normalize(((ClientCommand.SendAll) command).text())));
    } else if (command instanceof ClientCommand.SendTo) {
      ClientCommand.SendTo s = (ClientCommand.SendTo) command;
      return new ClassicCommand(sender, new ClientCommand.SendTo(s.recipient(), ClassicText.normalize(s.text())));
    } else if (command instanceof ClientCommand.Quit) {
      return new ClassicCommand(sender, new ClientCommand.Quit(ClassicText.normalize(((ClientCommand.Quit) command).reason())));
    }
    return new ClassicCommand(sender, command);
  }

  /** The frames of {@code bytes}, all at once, through a framer with the server-frame limit. */
  static List<Frame> frames(byte[] bytes) {
    return new LineFramer(ProtocolDefaults.MAX_SERVER_FRAME_LENGTH).feed(bytes);
  }
}
