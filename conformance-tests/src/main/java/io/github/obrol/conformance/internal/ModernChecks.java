package io.github.obrol.conformance.internal;

import static io.github.obrol.conformance.internal.CheckContext.require;
import static io.github.obrol.conformance.internal.Expect.awaitThenBarrier;
import static io.github.obrol.conformance.internal.Expect.exactlyOnce;
import static io.github.obrol.conformance.internal.Expect.join;
import static io.github.obrol.conformance.internal.Expect.leave;
import static io.github.obrol.conformance.internal.Expect.matching;
import static io.github.obrol.conformance.internal.Expect.messageFrom;
import static io.github.obrol.conformance.internal.Expect.none;

import io.github.obrol.conformance.internal.RuleCheck.Scope;
import io.github.obrol.protocol.Dialect;
import io.github.obrol.protocol.ErrorCode;
import io.github.obrol.protocol.Event;
import io.github.obrol.protocol.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Checks of the modern dialect (PROTOCOL.md section 6). */
final class ModernChecks {
  private static final Scope M = Scope.MODERN;

  private ModernChecks() {}

  static void register(CheckRegistry r) {
    r.check("MD-FRAME-1", M, ModernChecks::noQuietPeriod);
    r.check("MD-FRAME-2", M, ModernChecks::lineSyntax);
    r.check("MD-REPLY-1", M, ModernChecks::oneReplyPerLine);
    r.check("MD-HELLO-1", M, ModernChecks::greeting);
    r.check("MD-HELLO-2", M, ModernChecks::versionNegotiation);
    r.untested("MD-HELLO-3", M, "a client rule: the suite checks servers");
    r.check("MD-LOGIN-1", M, ModernChecks::login);
    r.check("MD-LOGIN-2", M, ModernChecks::refusedLogins);
    r.check("MD-LIST-1", M, ModernChecks::list);
    r.check("MD-SEND-1", M, ModernChecks::send);
    r.check("MD-SENDTO-1", M, ModernChecks::sendto);
    r.check("MD-SENDTO-2", M, ModernChecks::sendtoAbsent);
    r.check("MD-PING-1", M, ModernChecks::ping);
    r.check("MD-QUIT-1", M, ModernChecks::quit);
    r.check("MD-AUTH-1", M, ModernChecks::notLoggedIn);
    r.check("MD-INVALID-1", M, ModernChecks::invalidLines);
    r.check("MD-ERROR-1", M, ModernChecks::errorShape);
    r.check("MD-BYE-1", M, ModernChecks::byeBeforeClose);
    r.check("MD-EVENT-1", M, ModernChecks::eventShapes);
    r.check("MD-EVENT-2", M, ModernChecks::eventsKeepReplyOrder);
    r.untested("MD-KEEPALIVE-1", M, "a client rule (SHOULD): the suite checks servers");
  }

  static void noQuietPeriod(CheckContext ctx) {
    Peer a = ctx.user("a");
    a.barrier();
    a.wire().sendNow(Peer.utf8("LIST"));
    Received early = a.replyOrNull(ctx.timeouts().silence().plus(ctx.run().options().quietPeriod()));
    require(early == null, "no reply while \"LIST\" waits for its LF (no quiet period in the modern dialect)",
        "the server answered " + early);
    a.wire().sendNow(Peer.utf8("\n"));
    a.expectReply("LIST", Reply.UserList.class, "\"OK LIST ...\" once the LF arrived");
  }

  static void lineSyntax(CheckContext ctx) {
    Peer a = ctx.user("a");
    Peer b = ctx.user("b");
    ctx.settle(a, b);
    for (String line : List.of("list", "Send x", "SENDTO  " + b.name() + " x", "PING  x")) {
      a.expectError(line, ErrorCode.INVALID_COMMAND);
    }
    String text = " two  spaces, kept  ";
    a.send("SEND" + " " + text);
    a.expectReply("SEND " + text, Reply.SendAllOk.class, "\"OK SEND\"");
    List<Received> seen = matching(awaitThenBarrier(b, messageFrom(a.name()), ctx.timeouts().reply()), messageFrom(a.name()));
    String want = "MSG " + a.name() + " " + text;
    require(seen.size() == 1 && seen.get(0).raw().equals(want),
        "the text verbatim to the end of the line, spaces included: " + Escapes.literal(want + "\n"), seen.toString());
  }

  static void oneReplyPerLine(CheckContext ctx) {
    Peer a = ctx.user("a");
    a.barrier();
    String overlong = "SEND " + GeneralChecks.fill(ctx.maxLineLength() + 10, 'o');
    byte[] burst = GeneralChecks.concat(
        Peer.utf8("PING r1\n" + overlong + "\nPING r2\n"), new byte[] {(byte) 0xff, (byte) 0xfe, '\n'},
        Peer.utf8("PING r3\nBOGUS\nPING r4\nLIST\nPING r5\n"));
    a.wire().sendNow(burst);
    List<String> want = List.of("OK PING r1", "ERR LINE_TOO_LONG", "OK PING r2", "ERR INVALID_ENCODING", "OK PING r3",
        "ERR INVALID_COMMAND", "OK PING r4", "OK LIST", "OK PING r5");
    List<String> got = new ArrayList<>();
    for (int i = 0; i < want.size(); i++) {
      Received r = a.replyOrNull(ctx.timeouts().reply());
      if (r == null) {
        got.add("(nothing)");
        break;
      }
      String raw = r.raw();
      got.add(raw.startsWith("ERR ") ? raw.split(" ")[0] + " " + raw.split(" ")[1]
          : raw.startsWith("OK LIST") ? "OK LIST" : raw);
    }
    require(got.equals(want), "one reply per line, in order: " + want, got.toString());
    none(a, a.barrier(), r -> r.message() instanceof Reply, "extra reply");
  }

  static void greeting(CheckContext ctx) {
    Peer p = ctx.connectRaw(Dialect.MODERN);
    p.send("HELLO obrol/9 obrol/1");
    Received r = p.reply("HELLO obrol/9 obrol/1");
    require(r.message() instanceof Reply.HelloOk, "\"OK HELLO obrol/1 maxline=... maxname=... idle=...\"", r.wire());
    Reply.HelloOk ok = (Reply.HelloOk) r.message();
    require(ok.version().equals("obrol/1"), "the version obrol/1, the only one offered that exists", ok.version());
    for (String key : List.of("maxline", "maxname", "idle")) {
      require(ok.capabilityAsLong(key, -1) >= 0, "the capability " + key + "=<number>", r.wire());
    }
  }

  static void versionNegotiation(CheckContext ctx) {
    Peer p = ctx.connectRaw(Dialect.MODERN);
    p.send("HELLO obrol/99");
    Received r = p.reply("HELLO obrol/99");
    require(Expect.error(ErrorCode.UNSUPPORTED_VERSION).test(r) && r.raw().startsWith("ERR "),
        "\"ERR UNSUPPORTED_VERSION <text>\"", r.wire());
    Received bye = p.replyOrNull(ctx.timeouts().reply());
    require(bye != null && bye.message() instanceof Event.Bye && ((Event.Bye) bye.message()).code() == ErrorCode.UNSUPPORTED_VERSION,
        "\"BYE UNSUPPORTED_VERSION <text>\" after the error", bye == null ? p.nothingWithin(ctx.timeouts().reply()) : bye.wire());
    require(p.wire().awaitClosedByPeer(ctx.timeouts().reply()), "the connection closed after BYE", "it stayed open");
    Peer q = ctx.connectRaw(Dialect.MODERN);
    String name = ctx.name("q");
    q.send("LOGIN " + name);
    q.expectReply("LOGIN " + name, Reply.LoginOk.class, "\"OK LOGIN " + name + "\" without HELLO (obrol/1)");
    q.expectError("HELLO obrol/1", ErrorCode.INVALID_COMMAND);
  }

  static void login(CheckContext ctx) {
    Peer a = ctx.user("a");
    a.barrier();
    Peer b = ctx.connect();
    String name = ctx.name("b");
    b.send("LOGIN " + name);
    Received r = b.reply("LOGIN " + name);
    require(r.raw().equals("OK LOGIN " + name), "exactly \"OK LOGIN " + name + "\"", r.wire());
    List<Received> seen = matching(awaitThenBarrier(a, join(name), ctx.timeouts().reply()), join(name));
    require(seen.size() == 1 && seen.get(0).raw().equals("JOIN " + name), "exactly \"JOIN " + name + "\" once", seen.toString());
  }

  static void refusedLogins(CheckContext ctx) {
    Peer a = ctx.user("a");
    Peer b = ctx.connect();
    b.expectError("LOGIN -" + ctx.name("x"), ErrorCode.INVALID_NAME);
    b.expectError("LOGIN " + a.name(), ErrorCode.NAME_TAKEN);
    b.loginOk(ctx.name("b"));
    b.expectError("LOGIN " + ctx.name("c"), ErrorCode.ALREADY_LOGGED_IN);
    require(!b.wire().closedByPeer(), "the connection to stay open after refused logins", "the server closed it");
    b.barrier();
  }

  static void list(CheckContext ctx) {
    Peer a = ctx.user("a");
    Peer b = ctx.user("b");
    b.send("LIST");
    Received r = b.reply("LIST");
    String[] parts = r.raw().split(" ", -1);
    require(parts.length >= 3 && parts[0].equals("OK") && parts[1].equals("LIST") && parts[2].matches("[0-9]+")
            && Integer.parseInt(parts[2]) == parts.length - 3,
        "\"OK LIST <count> <name>...\" with count equal to the number of names", r.wire());
    List<String> own = new ArrayList<>();
    for (int i = 3; i < parts.length; i++) {
      if (ctx.isOwn(parts[i])) {
        own.add(parts[i]);
      }
    }
    require(own.equals(List.of(a.name(), b.name())), "the names " + a.name() + " then " + b.name() + " (order of login)",
        own.toString());
  }

  static void send(CheckContext ctx) {
    Peer a = ctx.user("a");
    Peer b = ctx.user("b");
    ctx.settle(a, b);
    a.send("SEND hello there");
    Received r = a.reply("SEND hello there");
    require(r.raw().equals("OK SEND"), "exactly \"OK SEND\"", r.wire());
    List<Received> seen = matching(awaitThenBarrier(b, messageFrom(a.name()), ctx.timeouts().reply()), messageFrom(a.name()));
    String want = "MSG " + a.name() + " hello there";
    require(seen.size() == 1 && seen.get(0).raw().equals(want), "exactly " + Escapes.literal(want + "\n") + " once", seen.toString());
  }

  static void sendto(CheckContext ctx) {
    Peer a = ctx.user("a");
    Peer b = ctx.user("b");
    ctx.settle(a, b);
    String upper = b.name().toUpperCase(Locale.ROOT);
    a.send("SENDTO " + upper + " psst");
    Received r = a.reply("SENDTO " + upper + " psst");
    require(r.raw().equals("OK SENDTO " + b.name()), "exactly \"OK SENDTO " + b.name() + "\" (the name as it logged in)",
        r.wire());
    List<Received> seen = matching(awaitThenBarrier(b, messageFrom(a.name()), ctx.timeouts().reply()), messageFrom(a.name()));
    String want = "PRIV " + a.name() + " psst";
    require(seen.size() == 1 && seen.get(0).raw().equals(want), "exactly " + Escapes.literal(want + "\n") + " once", seen.toString());
  }

  static void sendtoAbsent(CheckContext ctx) {
    Peer a = ctx.user("a");
    Peer b = ctx.user("b");
    Received r = a.expectError("SENDTO " + ctx.name("ghost") + " hi", ErrorCode.NO_SUCH_USER);
    require(r.raw().matches("ERR NO_SUCH_USER \\S.*"), "\"ERR NO_SUCH_USER <text>\"", r.wire());
    b.depart();
    awaitThenBarrier(a, leave(b.name()), ctx.timeouts().reply());
    a.expectError("SENDTO " + b.name() + " too late", ErrorCode.NO_SUCH_USER);
  }

  static void ping(CheckContext ctx) {
    Peer anon = ctx.connectRaw(Dialect.MODERN);
    for (Peer p : List.of(anon, ctx.user("a"))) {
      p.send("PING");
      Received r = p.reply("PING");
      require(r.raw().equals("OK PING"), "exactly \"OK PING\"", r.wire());
      p.send("PING tok-123");
      r = p.reply("PING tok-123");
      require(r.raw().equals("OK PING tok-123"), "exactly \"OK PING tok-123\"", r.wire());
    }
  }

  static void quit(CheckContext ctx) {
    Peer b = ctx.user("b");
    Peer a = ctx.user("a");
    Peer c = ctx.user("c");
    b.barrier();
    a.send("QUIT off to lunch");
    Received r = a.reply("QUIT off to lunch");
    require(r.raw().equals("OK QUIT"), "exactly \"OK QUIT\"", r.wire());
    require(a.wire().awaitClosedByPeer(ctx.timeouts().reply()), "the server to close the connection after OK QUIT",
        "it stayed open");
    c.send("QUIT");
    r = c.reply("QUIT");
    require(r.raw().equals("OK QUIT"), "exactly \"OK QUIT\"", r.wire());
    List<Received> seen = awaitThenBarrier(b, leave(a.name()), ctx.timeouts().reply());
    seen.addAll(awaitThenBarrier(b, leave(c.name()), ctx.timeouts().reply()));
    List<Received> leftA = matching(seen, leave(a.name()));
    require(leftA.size() == 1 && leftA.get(0).raw().equals("LEFT " + a.name() + " QUIT off to lunch"),
        "exactly \"LEFT " + a.name() + " QUIT off to lunch\" once", leftA.toString());
    List<Received> leftC = matching(seen, leave(c.name()));
    require(leftC.size() == 1 && leftC.get(0).raw().equals("LEFT " + c.name() + " QUIT"),
        "exactly \"LEFT " + c.name() + " QUIT\" once", leftC.toString());
  }

  static void notLoggedIn(CheckContext ctx) {
    Peer a = ctx.user("a");
    a.barrier();
    Peer d = ctx.connect();
    for (String line : List.of("LIST", "SEND hello", "SENDTO " + a.name() + " hello")) {
      d.expectError(line, ErrorCode.NOT_LOGGED_IN);
    }
    none(a, a.barrier(), Expect.anyMessage(), "message from an anonymous connection");
  }

  static void invalidLines(CheckContext ctx) {
    Peer a = ctx.user("a");
    for (String line : List.of("FOO", "list", "LOGIN", "LIST extra", "SEND", "SEND ", "SENDTO " + a.name(), "PING a b")) {
      Received r = a.expectError(line, ErrorCode.INVALID_COMMAND);
      require(r.raw().matches("ERR INVALID_COMMAND \\S.*"), "\"ERR INVALID_COMMAND <text>\" for " + Escapes.literal(line), r.wire());
    }
  }

  static void errorShape(CheckContext ctx) {
    Peer a = ctx.user("a");
    Peer d = ctx.connect();
    List<Received> errors = new ArrayList<>();
    errors.add(a.expectError("FOO", ErrorCode.INVALID_COMMAND));
    errors.add(a.expectError("SENDTO " + ctx.name("ghost") + " x", ErrorCode.NO_SUCH_USER));
    errors.add(d.expectError("LIST", ErrorCode.NOT_LOGGED_IN));
    errors.add(d.expectError("LOGIN " + a.name(), ErrorCode.NAME_TAKEN));
    errors.add(d.expectError("LOGIN " + ctx.namePrefix() + "a/b", ErrorCode.INVALID_NAME));
    for (Received r : errors) {
      String[] parts = r.raw().split(" ", 3);
      require(parts.length == 3 && parts[0].equals("ERR") && ErrorCode.fromWord(parts[1]).isPresent() && !parts[2].isBlank(),
          "\"ERR <CODE> <text>\" with a code of section 1 and a text that is not empty", r.wire());
    }
  }

  static void byeBeforeClose(CheckContext ctx) {
    Peer p = ctx.connectRaw(Dialect.MODERN);
    p.send("HELLO obrol/99");
    p.reply("HELLO obrol/99");
    Received bye = p.replyOrNull(ctx.timeouts().reply());
    require(bye != null && bye.raw().matches("BYE UNSUPPORTED_VERSION \\S.*"),
        "\"BYE UNSUPPORTED_VERSION <text>\" before the server closes", bye == null ? p.nothingWithin(ctx.timeouts().reply()) : bye.wire());
    require(p.wire().awaitClosedByPeer(ctx.timeouts().reply()), "the connection closed after BYE", "it stayed open");
    List<Received> after = p.wire().drain();
    require(after.isEmpty(), "nothing after BYE", after.toString());
  }

  static void eventShapes(CheckContext ctx) {
    Peer a = ctx.user("a");
    a.barrier();
    Peer b = ctx.user("b");
    b.sendAll("broadcast text");
    b.sendTo(a.name(), "private text");
    Peer c = ctx.user("c");
    c.close();
    b.send("QUIT bye now");
    b.reply("QUIT bye now");
    List<Received> seen = awaitThenBarrier(a, leave(b.name()), ctx.timeouts().reply());
    seen.addAll(awaitThenBarrier(a, leave(c.name()), ctx.timeouts().reply()));
    List<String> want = List.of("JOIN " + b.name(), "MSG " + b.name() + " broadcast text", "PRIV " + b.name() + " private text",
        "JOIN " + c.name(), "LEFT " + c.name() + " DISCONNECTED", "LEFT " + b.name() + " QUIT bye now");
    List<String> got = new ArrayList<>();
    seen.forEach(r -> got.add(r.raw()));
    require(got.containsAll(want) && got.size() == want.size(), "exactly the events " + want + " (any order between users)", got.toString());
  }

  static void eventsKeepReplyOrder(CheckContext ctx) {
    Peer a = ctx.user("a");
    Peer b = ctx.user("b");
    ctx.settle(a, b);
    StringBuilder burst = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      burst.append("PING e").append(i).append('\n');
    }
    for (int round = 0; round < 3; round++) {
      a.wire().sendNow(Peer.utf8(burst.toString()));
      b.sendAll("interleaved " + round);
      for (int i = 0; i < 20; i++) {
        Received r = a.reply("PING e" + i);
        require(r.raw().equals("OK PING e" + i), "\"OK PING e" + i + "\": replies in order whatever events arrive between",
            r.wire());
      }
    }
    List<Received> events = a.barrier();
    require(matching(events, messageFrom(b.name())).size() == 3, "the three interleaved broadcasts",
        events.toString());
  }
}
