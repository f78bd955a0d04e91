package io.github.obrol.protocol;

import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators of protocol values, shared by the property classes. */
final class ProtocolArbitraries {
  private static final String NAME_FIRST = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
  private static final String NAME_REST = NAME_FIRST + "-.";

  private ProtocolArbitraries() {}

  /** Valid names, lengths 1 to 32 (GEN-NAME-1), never reserved (GEN-NAME-3). */
  static Arbitrary<String> names() {
    Arbitrary<String> first = Arbitraries.strings().withChars(NAME_FIRST).ofLength(1);
    Arbitrary<String> rest = Arbitraries.strings().withChars(NAME_REST).ofMinLength(0).ofMaxLength(31);
    return Combinators.combine(first, rest)
        .as((f, r) -> f + r)
        .filter(n -> !Names.RESERVED.contains(n.toLowerCase(Locale.ROOT)))
        .edgeCases(c -> c.add("a").add("A_b-c.d").add("x".repeat(32)));
  }

  /** Tokens: printable, no spaces (names in events may be any token). */
  static Arbitrary<String> tokens() {
    return Arbitraries.strings().withCharRange('!', '~').withChars("äéß日本").ofMinLength(1).ofMaxLength(20);
  }

  /** Texts a client may send: printable, unicode, runs of spaces, not only spaces. */
  static Arbitrary<String> texts() {
    return Arbitraries.strings()
        .withCharRange(' ', '~')
        .withChars("    äöüé日本語ß\u00a0")
        .ofMinLength(1)
        .ofMaxLength(60)
        .filter(t -> !t.isBlank())
        .edgeCases(c -> c.add(" leading").add("trailing ").add("a    b").add("\ud83d\ude00 emoji"));
  }

  /** Texts a server may send: anything but CR and LF, possibly empty. */
  static Arbitrary<String> lineTexts() {
    return Arbitraries.strings()
        .withCharRange(' ', '~')
        .withChars("\t\u0001äöü日本語\u00a0")
        .ofMinLength(0)
        .ofMaxLength(60);
  }

  static Arbitrary<ClientCommand> commands() {
    return Arbitraries.oneOf(
        tokens().list().ofMinSize(1).ofMaxSize(3).map(ClientCommand.Hello::new),
        names().map(ClientCommand.Login::new),
        Arbitraries.just(new ClientCommand.ListUsers()),
        texts().map(ClientCommand.SendAll::new),
        Combinators.combine(tokens(), texts()).as(ClientCommand.SendTo::new),
        Arbitraries.oneOf(Arbitraries.just(""), tokens()).map(ClientCommand.Ping::new),
        Arbitraries.oneOf(Arbitraries.just(""), texts()).map(ClientCommand.Quit::new));
  }

  /** Commands the classic dialect can carry (no HELLO, no PING). */
  static Arbitrary<ClientCommand> classicCommands() {
    return commands().filter(c -> !(c instanceof ClientCommand.Hello) && !(c instanceof ClientCommand.Ping));
  }

  static Arbitrary<ServerMessage> serverMessages() {
    Arbitrary<ErrorCode> codes = Arbitraries.of(ErrorCode.class);
    Arbitrary<LeaveReason> reasons = Arbitraries.of(LeaveReason.class).filter(r -> r != LeaveReason.UNKNOWN);
    Arbitrary<Audience> audiences = Arbitraries.of(Audience.BROADCAST, Audience.PRIVATE);
    Arbitrary<java.util.Map<String, String>> caps =
        Arbitraries.maps(
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8), tokens())
            .ofMaxSize(4);
    return Arbitraries.oneOf(
        Combinators.combine(tokens(), caps).as(Reply.HelloOk::new),
        names().map(Reply.LoginOk::new),
        names().list().ofMaxSize(6).map(Reply.UserList::new),
        Arbitraries.just(new Reply.SendAllOk()),
        names().map(Reply.SendToOk::new),
        Arbitraries.oneOf(Arbitraries.just(""), tokens()).map(Reply.PingOk::new),
        Arbitraries.just(new Reply.QuitOk()),
        Combinators.combine(codes, lineTexts()).as(Reply.Error::new),
        Combinators.combine(names(), lineTexts(), audiences).as(Event.Message::new),
        names().map(Event.UserJoined::new),
        Combinators.combine(names(), reasons, lineTexts()).as(Event.UserLeft::new),
        lineTexts().map(Event.Notice::new),
        Combinators.combine(codes, lineTexts()).as(Event.Bye::new));
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
      if (code == ErrorCode.REJECTED && message instanceof Reply.Error) {
        return message; // GEN-REJECT-1: the only classic error that carries its text
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
