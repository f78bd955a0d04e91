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
import io.github.obrol.protocol.ErrorCode;
import io.github.obrol.protocol.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Checks of the classic dialect (PROTOCOL.md section 5), byte for byte where the rule says so. */
final class ClassicChecks {
  private static final Scope C = Scope.CLASSIC;

  private ClassicChecks() {}

  static void register(CheckRegistry r) {
    r.check("CL-FRAME-1", C, ClassicChecks::lfEndsFrame);
    r.check("CL-FRAME-2", C, ClassicChecks::quietPeriodEndsFrame);
    r.check("CL-FRAME-3", C, ClassicChecks::mergedLoginSplit);
    r.untested("CL-FRAME-4", C, "a client rule (SHOULD): the suite itself follows it when pacing classic frames");
    r.check("CL-CMD-1", C, ClassicChecks::frameShape);
    r.check("CL-LOGIN-1", C, ClassicChecks::loginFrame);
    r.check("CL-LOGIN-2", C, ClassicChecks::loginReplies);
    r.check("CL-LOGIN-3", C, ClassicChecks::loginRefusals);
    r.check("CL-AUTH-1", C, ClassicChecks::spoofedName);
    r.check("CL-AUTH-2", C, ClassicChecks::notLoggedIn);
    r.check("CL-LIST-1", C, ClassicChecks::listBytes);
    r.check("CL-SENDALL-1", C, ClassicChecks::sendallBytes);
    r.check("CL-SENDTO-1", C, ClassicChecks::sendtoBytes);
    r.check("CL-SENDTO-2", C, ClassicChecks::sendtoAbsent);
    r.check("CL-SENDTO-3", C, ClassicChecks::sendMissingParts);
    r.check("CL-QUIT-1", C, ClassicChecks::quitExtension);
    r.check("CL-INVALID-1", C, ClassicChecks::invalidBody);
    r.check("CL-SFRAME-1", C, ClassicChecks::serverFrameShape);
    r.check("CL-SFRAME-2", C, ClassicChecks::serverFramesByteForByte);
    r.check("CL-JOIN-1", C, ClassicChecks::joinBytes);
    r.check("CL-LEAVE-1", C, ClassicChecks::leaveBytes);
    r.untested("CL-NOTICE-1", C, "needs an administrator's broadcast, which has no wire command: the TCK checks it"
        + " when the implementer supplies one (ChatServerVerification.broadcastNotice)");
    r.check("CL-ERROR-1", C, ClassicChecks::errorFrames);
    r.untested("CL-LIST-2", C, "a client rule: the suite itself ends list blocks this way");
    r.untested("CL-VARIANT-1", C, "a client rule: the suite itself reads these variants (byte rules still judge them)");
    r.untested("CL-VARIANT-2", C, "a client rule: the suite itself reads \"\\rClient off\\n\" as a nameless departure");
    r.untested("CL-VARIANT-3", C, "a client rule: the suite records unrecognised frames and never takes them as replies");
  }

  static void lfEndsFrame(CheckContext ctx) {
    Peer a = ctx.user("a");
    if (Boolean.FALSE.equals(ctx.run().listAnswered())) {
      // The server's list does not work (GEN-LIST-1 reports it): a private message to oneself is the probe.
      for (String end : List.of("\n", "\r\n")) {
        String text = "probe" + end.length();
        a.sendRaw(Peer.utf8(a.name() + " says sendto " + a.name() + " " + text + end));
        exactlyOnce(a, awaitThenBarrier(a, Expect.message(a.name(), text), ctx.timeouts().reply()),
            Expect.message(a.name(), text), "its private message to itself, in a frame ended by " + Escapes.literal(end));
      }
      return;
    }
    a.send(a.name() + " says list");
    a.expectReply(a.name() + " says list", Reply.UserList.class, "a user list to a frame ended by LF");
    a.sendRaw(Peer.utf8(a.name() + " says list\r\n"));
    a.expectReply(a.name() + " says list\\r", Reply.UserList.class, "a user list to a frame ended by CR LF");
  }

  static void quietPeriodEndsFrame(CheckContext ctx) {
    Peer b = ctx.user("b");
    b.barrier();
    Peer a = ctx.connect();
    String name = ctx.name("a");
    a.wire().sendNow(Peer.utf8(name + " says " + name));
    java.time.Duration wait = ctx.run().options().quietPeriod().plus(ctx.timeouts().reply());
    List<Received> seen = awaitThenBarrier(b, join(name), wait);
    exactlyOnce(b, seen, join(name), "the join of " + name + ", whose login frame had no LF and ended with the quiet period");
    a.assumeLoggedIn(name);
    Peer c = ctx.connect();
    String closer = ctx.name("c");
    c.wire().sendNow(Peer.utf8(closer + " says " + closer));
    c.wire().shutdownOutput();
    seen = awaitThenBarrier(b, join(closer), ctx.timeouts().reply());
    exactlyOnce(b, seen, join(closer), "the join of " + closer + ", whose unterminated login frame ended when it closed its side");
  }

  static void mergedLoginSplit(CheckContext ctx) {
    Peer a = ctx.connect();
    String name = ctx.name("a");
    a.wire().sendNow(Peer.utf8(name + " says " + name + name + " says list\n"));
    Received r = a.reply(name + " says " + name + name + " says list");
    require(r.message() instanceof Reply.UserList && ((Reply.UserList) r.message()).names().contains(name),
        "the merged frame to be a login of " + name + " and a list that shows it", r.wire());
  }

  static void frameShape(CheckContext ctx) {
    Peer a = ctx.user("a");
    for (String line : List.of(a.name() + " says", a.name() + " tells list", "justoneword", a.name() + " list now")) {
      Received r = a.expectError(line, ErrorCode.INVALID_COMMAND);
      require(r.raw().equals("\rinvalid command"), "exactly \"\\rinvalid command\\n\" for " + Escapes.literal(line), r.wire());
    }
  }

  static void loginFrame(CheckContext ctx) {
    Peer b = ctx.user("b");
    b.barrier();
    Peer a = ctx.connect();
    String name = ctx.name("a");
    a.send(name + " says " + name + " extra tokens here");
    exactlyOnce(b, awaitThenBarrier(b, join(name), ctx.timeouts().reply()), join(name),
        "the join of " + name + " (tokens after the login name are ignored)");
    a.assumeLoggedIn(name);
    Peer c = ctx.connect();
    c.expectError("list says list", ErrorCode.INVALID_NAME);
  }

  static void loginReplies(CheckContext ctx) {
    Peer a = ctx.connect();
    String name = ctx.name("a");
    a.send(name + " says " + name);
    a.assumeLoggedIn(name);
    List<Received> before = a.barrier();
    none(a, before, r -> true, "reply to a successful login");
    Peer b = ctx.connect();
    String login = name + " says " + name;
    // Read boundaries show the server's writes only while the suite reads faster than frames arrive: on a busy
    // machine a frame the server wrote just after the refusal (an event sent to every connection, say) can land
    // in the same read. A refusal that shares its read is asked for again, 3 times in all; a refusal split over
    // reads (written in pieces) fails at once, and so does one that never arrives alone.
    List<String> seen = new ArrayList<>();
    for (int attempt = 1; ; attempt++) {
      b.send(login);
      Received r = b.reply(login);
      require(r.raw().equals("\rusername sudah dipake"), "exactly \"\\rusername sudah dipake\\n\"", r.wire());
      boolean split = r.firstRead() != r.lastRead();
      int length = b.wire().readLength(r.firstRead());
      if (!split && length == r.raw().length() + 1) {
        break;
      }
      seen.add(split ? "split over " + (r.lastRead() - r.firstRead() + 1) + " reads" : "in a read of " + length + " bytes");
      require(!split && attempt < 3,
          "\"\\rusername sudah dipake\\n\" alone in one TCP write (the original client compares a whole read)",
          "it arrived " + String.join(", then ", seen));
    }
    require(!b.wire().closedByPeer(), "the connection to stay open", "the server closed it");
    b.loginOk(ctx.name("b"));
  }

  static void loginRefusals(CheckContext ctx) {
    Peer b = ctx.user("b");
    Received r = b.expectError(b.name() + " says " + b.name(), ErrorCode.ALREADY_LOGGED_IN);
    requireText(r, "already logged in", true);
    require(!b.wire().closedByPeer(), "the connection to stay open after \"already logged in\"", "the server closed it");
    Peer a = ctx.connect();
    String bad = ctx.namePrefix() + "a/b";
    r = a.expectError(bad + " says " + bad, ErrorCode.INVALID_NAME);
    requireText(r, "invalid name", true);
  }

  static void spoofedName(CheckContext ctx) {
    Peer a = ctx.user("a");
    Peer b = ctx.user("b");
    Peer c = ctx.user("c");
    ctx.settle(a, c);
    for (String body : List.of("sendall spoofed", "sendto " + c.name() + " spoofed private", "list")) {
      Received r = b.expectError(a.name() + " says " + body, ErrorCode.NAME_MISMATCH);
      requireText(r, "name mismatch", true);
    }
    none(c, awaitThenBarrier(c, Expect.anyMessage(), ctx.timeouts().silence()), Expect.anyMessage(),
        "message from a frame claiming another user's name");
    none(a, a.barrier(), Expect.anyMessage(), "message from a frame claiming its name");
  }

  static void notLoggedIn(CheckContext ctx) {
    Peer a = ctx.user("a");
    a.barrier();
    Peer d = ctx.connect();
    String claimed = ctx.name("d");
    for (String body : List.of("list", "sendall hello", "sendto " + a.name() + " hello", "hello")) {
      Received r = d.expectError(claimed + " says " + body, ErrorCode.NOT_LOGGED_IN);
      requireText(r, "not logged in", true);
    }
    none(a, a.barrier(), Expect.anyMessage(), "message from an anonymous connection");
  }

  static void listBytes(CheckContext ctx) {
    Peer a = ctx.user("a");
    Peer b = ctx.user("b");
    a.barrier();
    b.send(b.name() + " says list with extra tokens");
    Received r = b.reply(b.name() + " says list with extra tokens");
    require(r.message() instanceof Reply.UserList, "a user list (tokens after list are ignored)", r.wire());
    String[] lines = r.raw().split("\n", -1);
    require(lines[0].equals("\rlist yang online"), "the header \"\\rlist yang online\\n\"", Escapes.literal(lines[0]));
    List<String> own = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      require(lines[i].matches("[^\\s]+ is online "), "entry lines \"<name> is online \\n\"", Escapes.literal(lines[i] + "\n"));
      String n = lines[i].substring(0, lines[i].indexOf(' '));
      if (ctx.isOwn(n)) {
        own.add(n);
      }
    }
    require(own.equals(List.of(a.name(), b.name())), "entries for " + a.name() + " then " + b.name(), own.toString());
    require(r.firstRead() == r.lastRead(), "the whole list in one TCP write",
        "it arrived in reads " + r.firstRead() + " to " + r.lastRead());
  }

  static void sendallBytes(CheckContext ctx) {
    Peer a = ctx.user("a");
    Peer b = ctx.user("b");
    Peer c = ctx.user("c");
    ctx.settle(a, b, c);
    a.send(a.name() + " says sendall   hello    world  ");
    String want = "\r" + a.name() + " says hello world ";
    for (Peer p : List.of(b, c)) {
      List<Received> seen = matching(awaitThenBarrier(p, messageFrom(a.name()), ctx.timeouts().reply()), messageFrom(a.name()));
      require(seen.size() == 1 && seen.get(0).raw().equals(want), p.label() + " receives exactly "
          + Escapes.literal(want + "\n") + " once", seen.toString());
    }
    none(a, a.barrier(), messageFrom(a.name()), "copy of its own broadcast");
  }

  static void sendtoBytes(CheckContext ctx) {
    Peer a = ctx.user("a");
    Peer b = ctx.user("b");
    Peer c = ctx.user("c");
    ctx.settle(a, b, c);
    a.send(a.name() + " says sendto " + b.name() + "  psst   there ");
    String want = "\r" + a.name() + " says psst there ";
    List<Received> seen = matching(awaitThenBarrier(b, messageFrom(a.name()), ctx.timeouts().reply()), messageFrom(a.name()));
    require(seen.size() == 1 && seen.get(0).raw().equals(want), b.label() + " receives exactly "
        + Escapes.literal(want + "\n") + " once", seen.toString());
    none(c, c.barrier(), messageFrom(a.name()), "private message addressed to " + b.name());
    none(a, a.barrier(), Expect.anyMessage(), "copy of its private message");
  }

  static void sendtoAbsent(CheckContext ctx) {
    Peer a = ctx.user("a");
    Peer b = ctx.user("b");
    Peer c = ctx.user("c");
    ctx.settle(a, c);
    Received r = a.expectError(a.name() + " says sendto " + ctx.name("ghost") + " hi", ErrorCode.NO_SUCH_USER);
    requireText(r, "no such user", true);
    b.close();
    awaitThenBarrier(a, leave(b.name()), ctx.timeouts().reply());
    r = a.expectError(a.name() + " says sendto " + b.name() + " too late", ErrorCode.NO_SUCH_USER);
    requireText(r, "no such user", true);
    List<Received> atC = c.barrier();
    none(c, atC, r2 -> r2.message() instanceof io.github.obrol.protocol.Event.UserLeft
        && !leave(b.name()).test(r2), "leave notice of a user who did not leave");
  }

  static void sendMissingParts(CheckContext ctx) {
    Peer a = ctx.user("a");
    Peer b = ctx.user("b");
    for (String body : List.of("sendto", "sendto " + b.name(), "sendall")) {
      Received r = a.expectError(a.name() + " says " + body, ErrorCode.INVALID_COMMAND);
      require(r.raw().equals("\rinvalid command"), "exactly \"\\rinvalid command\\n\"", r.wire());
    }
  }

  static void quitExtension(CheckContext ctx) {
    Peer a = ctx.user("a");
    Peer b = ctx.user("b");
    b.barrier();
    a.send(a.name() + " says quit see you");
    Received r = a.replyOrNull(ctx.timeouts().silence());
    if (r != null && Expect.error(ErrorCode.INVALID_COMMAND).test(r)) {
      throw CheckContext.skip("optional (MAY) extension not offered: the server answers \"quit\" with \"invalid command\"");
    }
    require(a.wire().awaitClosedByPeer(ctx.timeouts().reply()), "the server to close the connection after quit",
        r == null ? "it stayed open" : "it answered " + r.wire());
    exactlyOnce(b, awaitThenBarrier(b, leave(a.name()), ctx.timeouts().reply()), leave(a.name()), "the departure of " + a.name());
  }

  static void invalidBody(CheckContext ctx) {
    Peer a = ctx.user("a");
    for (String body : List.of("hi there", "LIST", "sendal x", "Sendall x")) {
      Received r = a.expectError(a.name() + " says " + body, ErrorCode.INVALID_COMMAND);
      require(r.raw().equals("\rinvalid command"), "exactly \"\\rinvalid command\\n\" for body " + Escapes.literal(body), r.wire());
    }
  }

  /**
   * Drives joins, messages, a list, errors and a leave, and returns every frame two clients received. It
   * judges nothing itself: a missing error is the business of the error's own rule.
   */
  private static List<Received> sampleTraffic(CheckContext ctx, Peer a, Peer b) {
    Peer c = ctx.user("c");
    a.send(a.name() + " says sendall sample");
    a.send(a.name() + " says sendto " + b.name() + " private sample");
    a.send(a.name() + " says nonsense");
    a.replyOrNull(ctx.timeouts().reply());
    a.send(a.name() + " says list");
    a.replyOrNull(ctx.timeouts().reply()); // whatever answers it is judged below (a missing list is GEN-LIST-1's)
    c.close();
    awaitThenBarrier(b, leave(c.name()), ctx.timeouts().reply());
    awaitThenBarrier(a, leave(c.name()), ctx.timeouts().reply());
    List<Received> all = new ArrayList<>(a.wire().history());
    all.addAll(b.wire().history());
    return all;
  }

  static void serverFrameShape(CheckContext ctx) {
    Peer a = ctx.user("a");
    Peer b = ctx.user("b");
    for (Received r : sampleTraffic(ctx, a, b)) {
      String[] lines = r.raw().split("\n", -1);
      require(lines[0].startsWith("\r"), "every frame to start with CR", r.wire());
      for (int i = 1; i < lines.length; i++) {
        require(!lines[i].startsWith("\r") && r.message() instanceof Reply.UserList,
            "only list entry lines without CR", r.wire());
      }
    }
  }

  static void serverFramesByteForByte(CheckContext ctx) {
    Peer a = ctx.user("a");
    Peer b = ctx.user("b");
    List<Pattern> known = List.of(
        Pattern.compile("\r\\S+ sudah terhubung dengan system"),
        Pattern.compile("\r\\(\\S+\\) off"),
        Pattern.compile("\r\\S+ says .* "),
        Pattern.compile("\rlist yang online(\n\\S+ is online )*"),
        Pattern.compile("\r(invalid command|username sudah dipake)"),
        Pattern.compile("\r(invalid name|not logged in|already logged in|no such user|name mismatch|line too long"
            + "|invalid encoding|rate limited|login rejected|server full|login timeout|idle timeout|too slow|kicked"
            + "|server shutting down|unsupported version|unsupported dialect|internal error)(: .+)?"),
        Pattern.compile("\r\\*\\*\\* .*"));
    for (Received r : sampleTraffic(ctx, a, b)) {
      require(known.stream().anyMatch(p -> p.matcher(r.raw()).matches()),
          "every frame to be one of the classic frames of section 5.3, byte for byte", r.wire());
    }
  }

  static void joinBytes(CheckContext ctx) {
    Peer a = ctx.user("a");
    a.barrier();
    Peer b = ctx.user("b");
    List<Received> seen = matching(awaitThenBarrier(a, join(b.name()), ctx.timeouts().reply()), join(b.name()));
    String want = "\r" + b.name() + " sudah terhubung dengan system";
    require(seen.size() == 1 && seen.get(0).raw().equals(want), "exactly " + Escapes.literal(want + "\n") + " once",
        seen.toString());
  }

  static void leaveBytes(CheckContext ctx) {
    // The departing user is neither the first nor the last to log in: a server that announces the most
    // recent (or the oldest) user on any departure is caught.
    Peer a = ctx.user("a");
    Peer b = ctx.user("b");
    Peer c = ctx.user("c");
    ctx.settle(a, c);
    b.close();
    Duration settle = ctx.timeouts().departureSettle();
    List<Received> all = Expect.awaitSettleThenBarrier(a, leave(b.name()), ctx.timeouts().reply(), settle);
    List<Received> seen = matching(all, leave(b.name()));
    String want = "\r(" + b.name() + ") off";
    GeneralChecks.onceAfterSettle(a, all, leave(b.name()), "the leave notice " + Escapes.literal(want + "\n"), settle);
    none(a, all, leave(c.name()), "leave notice of " + c.name() + ", who did not leave");
    if (seen.get(0).raw().equals("\rClient (" + b.name() + ") off")) {
      throw CheckContext.nonStrict("the server sent the original's other form " + seen.get(0).wire()
          + ", which clients accept; the rule's form is " + Escapes.literal(want + "\n"));
    }
    require(seen.get(0).raw().equals(want), "exactly " + Escapes.literal(want + "\n"), seen.get(0).wire());
  }

  /**
   * CL-NOTICE-1, for servers whose test harness can make an administrator's broadcast: every logged-in
   * user receives {@code "\r*** <text>\n"} exactly once.
   */
  static void notice(CheckContext ctx, java.util.function.Consumer<String> broadcast) {
    Peer a = ctx.user("a");
    Peer b = ctx.user("b");
    ctx.settle(a, b);
    String text = "notice for " + ctx.namePrefix() + "check";
    ctx.transcript().note("#", "the harness broadcasts the notice " + Escapes.literal(text));
    broadcast.accept(text);
    for (Peer p : List.of(a, b)) {
      List<Received> seen = p.wire().until(r -> r.raw().contains(text), ctx.timeouts().reply());
      p.barrier();
      List<Received> notices = matching(p.wire().history(), r -> r.raw().contains(text));
      require(notices.size() == 1 && notices.get(0).raw().equals("\r*** " + text),
          p.who() + " receives exactly " + Escapes.literal("\r*** " + text + "\n") + " once",
          notices.isEmpty() ? p.nothingWithin(ctx.timeouts().reply()) + " (frames: " + seen + ")" : notices.toString());
    }
  }

  static void errorFrames(CheckContext ctx) {
    Peer a = ctx.user("a");
    Peer b = ctx.connect();
    int markA = a.wire().receivedCount();
    // Provoke errors, then judge every frame that answers them, recognised or not (a missing answer is the
    // business of the error's own rule).
    a.send(a.name() + " says nonsense");
    a.send(a.name() + " says sendto " + ctx.name("ghost") + " x");
    a.send(a.name() + " says " + a.name());
    b.send(a.name() + " says " + a.name());
    b.send(ctx.name("b") + " says list");
    a.barrier();
    b.barrier();
    List<Received> answers = new ArrayList<>();
    for (Peer p : List.of(a, b)) {
      List<Received> h = p.wire().history();
      h.subList(p == a ? Math.min(markA, h.size()) : 0, h.size()).stream()
          .filter(r -> !(r.message() instanceof io.github.obrol.protocol.Event) || r.message() instanceof io.github.obrol.protocol.Event.Bye)
          .filter(r -> !(r.message() instanceof Reply.UserList))
          .forEach(answers::add);
    }
    require(!answers.isEmpty(), "error frames in reply to an invalid command, a sendto to nobody, a second login,"
        + " a taken name and a list before login", "no answer at all");
    for (Received r : answers) {
      if (r.message() == null) {
        throw new CheckFailure("every frame answering an erroneous command to be an error of section 5.4 ("
            + "\"\\r<text>\\n\" or \"\\r<text>: <detail>\\n\")", r.wire() + ", a text the table does not have");
      }
      ErrorCode code = r.message() instanceof Reply.Error
          ? ((Reply.Error) r.message()).code() : ((io.github.obrol.protocol.Event.Bye) r.message()).code();
      requireText(r, WireTables.classicText(code), WireTables.classicDetailAllowed(code));
    }
  }

  private static void requireText(Received r, String text, boolean detailAllowed) {
    boolean ok = r.raw().equals("\r" + text) || (detailAllowed && r.raw().startsWith("\r" + text + ": ")
        && r.raw().length() > text.length() + 3);
    require(ok, "\"\\r" + text + "\\n\"" + (detailAllowed ? " or \"\\r" + text + ": <detail>\\n\"" : ""), r.wire());
  }

}
