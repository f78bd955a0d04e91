package io.github.obrol.conformance.internal;

import static io.github.obrol.conformance.internal.CheckContext.require;
import static io.github.obrol.conformance.internal.Expect.awaitThenBarrier;
import static io.github.obrol.conformance.internal.Expect.exactlyOnce;
import static io.github.obrol.conformance.internal.Expect.join;
import static io.github.obrol.conformance.internal.Expect.leave;
import static io.github.obrol.conformance.internal.Expect.matching;
import static io.github.obrol.conformance.internal.Expect.message;
import static io.github.obrol.conformance.internal.Expect.messageFrom;
import static io.github.obrol.conformance.internal.Expect.none;

import io.github.obrol.conformance.internal.RuleCheck.Scope;
import io.github.obrol.protocol.Dialect;
import io.github.obrol.protocol.ErrorCode;
import io.github.obrol.protocol.Event;
import io.github.obrol.protocol.Reply;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Checks of the rules for both dialects (PROTOCOL.md sections 2 and 3). */
final class GeneralChecks {
  private GeneralChecks() {}

  static void register(CheckRegistry r) {
    r.check("GEN-NAME-1", Scope.BOTH, GeneralChecks::nameSyntax);
    r.check("GEN-NAME-2", Scope.BOTH, GeneralChecks::nameCase);
    r.check("GEN-NAME-3", Scope.BOTH, GeneralChecks::reservedNames);
    r.check("GEN-NAME-4", Scope.BOTH, GeneralChecks::nameTaken);
    r.check("GEN-NAME-5", Scope.BOTH, GeneralChecks::nameFreed);
    r.check("GEN-TEXT-1", Scope.BOTH, GeneralChecks::malformedUtf8);
    r.check("GEN-TEXT-2", Scope.BOTH, GeneralChecks::controlCharacters);
    r.check("GEN-TEXT-3", Scope.BOTH, GeneralChecks::emptyText);
    r.check("GEN-TEXT-4", Scope.BOTH, GeneralChecks::separatorsAndBidiControls);
    r.check("GEN-TEXT-5", Scope.BOTH, GeneralChecks::formatCharactersPass);
    r.check("GEN-LINE-1", Scope.BOTH, GeneralChecks::longestLineAccepted);
    r.check("GEN-LINE-2", Scope.BOTH, GeneralChecks::overlongLine);
    r.untested("GEN-LINE-3", Scope.BOTH, "would need more than 1 MiB of user list; every frame the suite receives"
        + " is checked against the limit by its wire clients instead (an overlong frame fails the check that saw it)");
    r.mixedCheck("GEN-DIALECT-1", GeneralChecks::dialectDetection);
    r.mixedCheck("GEN-DIALECT-2", GeneralChecks::dialectsShareUsers);
    r.untested("GEN-DIALECT-3", Scope.BOTH, "optional (MAY): a server may serve only one dialect");
    r.check("GEN-DELIVER-1", Scope.BOTH, GeneralChecks::broadcastDelivery);
    r.check("GEN-DELIVER-2", Scope.BOTH, GeneralChecks::privateDelivery);
    r.check("GEN-DELIVER-3", Scope.BOTH, GeneralChecks::attribution);
    r.check("GEN-JOIN-1", Scope.BOTH, GeneralChecks::joinNotices);
    r.check("GEN-LEAVE-1", Scope.BOTH, GeneralChecks::leaveNotices);
    r.untested("GEN-LEAVE-2", Scope.BOTH, "needs the server to shut down during the check: the TCK checks it last"
        + " when its launcher owns the server (ChatServerVerification, LaunchedServer.ownsServer())");
    r.check("GEN-LIST-1", Scope.BOTH, GeneralChecks::userList);
    r.check("GEN-ORDER-1", Scope.BOTH, GeneralChecks::framesInOrder);
    r.check("GEN-ORDER-2", Scope.BOTH, GeneralChecks::perSenderOrder);
    r.check("GEN-ORDER-3", Scope.BOTH, GeneralChecks::barrierOrder);
    r.check("GEN-LIMIT-1", Scope.BOTH, GeneralChecks::loginTimeout);
    r.untested("GEN-LIMIT-2", Scope.BOTH, "optional (MAY): an idle timeout");
    r.untested("GEN-REJECT-1", Scope.BOTH, "optional (MAY): which messages a server refuses is its own policy, not on the wire");
    r.check("GEN-LIMIT-3", Scope.BOTH, GeneralChecks::serverFull);
    r.untested("GEN-LIMIT-4", Scope.BOTH, "a rate limit is the server's choice and its rate is not on the wire;"
        + " RATE_LIMITED replies are accepted wherever the suite meets them");
    r.check("GEN-LIMIT-5", Scope.BOTH, SlowConsumerCheck::run);
    r.check("GEN-LIMIT-6", Scope.BOTH, GeneralChecks::misbehaviourIsolated);
    r.check("FR-LINE-1", Scope.BOTH, GeneralChecks::framingIndependentOfChunks);
    r.check("FR-LINE-2", Scope.BOTH, GeneralChecks::failFastOnLongLine);
    // The robustness rules of issue 10 (reference-server figures, timers of seconds, megabytes of traffic): the
    // project's own socket tests verify them for the reference server; wire checks are future work.
    for (String id : List.of("GEN-LINE-4", "GEN-LINE-5", "GEN-LINE-6", "GEN-LIMIT-7", "GEN-LIMIT-8", "GEN-LIMIT-9",
        "GEN-LIMIT-10", "GEN-LIMIT-11", "GEN-LIMIT-12", "GEN-LIMIT-13")) {
      r.untested(id, Scope.BOTH, "not checked over the wire yet: needs megabytes of traffic, many connections or"
          + " timers of seconds (the reference server is verified by its own socket tests)");
    }
    // PROTOCOL.md section 9: only a cluster has these, and checking them means killing nodes and the store.
    for (String id : List.of("CLUSTER-1", "CLUSTER-2", "CLUSTER-3", "CLUSTER-4", "CLUSTER-5", "CLUSTER-6",
        "CLUSTER-7", "CLUSTER-8")) {
      r.untested(id, Scope.BOTH, "a cluster rule: chat-server-api's cluster tests verify the reference cluster"
          + " against a real Redis (killed nodes, a stopped Redis); the suite checks one server's rules");
    }
    r.untested("CLIENT-1", Scope.BOTH, "a client rule: the suite checks servers");
    r.untested("CLIENT-2", Scope.BOTH, "a client rule: the suite checks servers");
    r.untested("CLIENT-3", Scope.BOTH, "a client rule: the suite checks servers");
  }

  // ------------------------------------------------------------------ names

  static void nameSyntax(CheckContext ctx) {
    String base = ctx.namePrefix();
    String longest = pad(base + "x", 32);
    List<String> valid = List.of(longest, base + "a_b.c-d", base + "Z9");
    for (String name : valid) {
      Peer p = ctx.connect();
      Optional<ErrorCode> refused = p.login(name);
      require(refused.isEmpty(), "the valid name \"" + name + "\" (" + name.length() + " characters) to be accepted",
          "it was refused with " + refused.orElse(null));
      p.close();
    }
    List<String> invalid = new ArrayList<>(List.of(
        pad(base + "y", 33), base + "\u00e9", base + "a/b", base + "a@b", "-" + base, "." + base, base + "a+b"));
    Peer p = ctx.connect();
    for (String name : invalid) {
      Optional<ErrorCode> refused = p.loginRefused(name, ErrorCode.INVALID_NAME);
      require(refused.isPresent(), "the invalid name \"" + name + "\" to be refused with " + p.describeError(ErrorCode.INVALID_NAME),
          "the server accepted it");
      require(refused.get() == ErrorCode.INVALID_NAME, "the invalid name \"" + name + "\" to be refused with INVALID_NAME",
          "refused with " + refused.get());
    }
  }

  static void nameCase(CheckContext ctx) {
    String mixed = ctx.namePrefix() + "MiXed";
    Peer a = ctx.connect().loginOk(mixed);
    Peer b = ctx.connect();
    String other = mixed.toUpperCase(Locale.ROOT);
    Optional<ErrorCode> refused = b.loginRefused(other, ErrorCode.NAME_TAKEN);
    require(refused.isPresent() && refused.get() == ErrorCode.NAME_TAKEN,
        "\"" + other + "\" to be refused with NAME_TAKEN while \"" + mixed + "\" is logged in",
        refused.isPresent() ? "refused with " + refused.get() : "the server accepted it");
    b.loginOk(ctx.name("b"));
    a.barrier();
    b.sendTo(mixed.toLowerCase(Locale.ROOT), "case insensitive");
    List<Received> atA = awaitThenBarrier(a, message(b.name(), "case insensitive"), ctx.timeouts().reply());
    exactlyOnce(a, atA, message(b.name(), "case insensitive"),
        "the private message addressed to \"" + mixed.toLowerCase(Locale.ROOT) + "\"");
    if (Boolean.FALSE.equals(ctx.run().listAnswered())) {
      ctx.transcript().note("#", "the server answers no classic list (GEN-LIST-1 reports it): the name in the list"
          + " is not checked here");
    } else {
      List<String> names = b.ownUsers();
      require(names.contains(mixed), "the user list to show \"" + mixed + "\" exactly as it logged in",
          "the list shows " + names);
    }
    a.sendAll("shown as logged in");
    List<Received> atB = awaitThenBarrier(b, messageFrom(mixed), ctx.timeouts().reply());
    exactlyOnce(b, atB, message(mixed, "shown as logged in"), "a message attributed to \"" + mixed + "\" (exact case)");
  }

  static void reservedNames(CheckContext ctx) {
    Peer p = ctx.connect();
    int i = 0;
    for (String word : WireTables.RESERVED) {
      String name = i % 3 == 0 ? word : i % 3 == 1 ? word.toUpperCase(Locale.ROOT)
          : Character.toUpperCase(word.charAt(0)) + word.substring(1);
      i++;
      Optional<ErrorCode> refused = p.loginRefused(name, ErrorCode.INVALID_NAME);
      require(refused.isPresent(), "the reserved word \"" + name + "\" to be refused as a name with INVALID_NAME",
          "the server accepted it as a name");
      require(refused.get() == ErrorCode.INVALID_NAME, "the reserved word \"" + name + "\" to be refused with INVALID_NAME",
          "refused with " + refused.get());
    }
  }

  static void nameTaken(CheckContext ctx) {
    Peer a = ctx.user("a");
    Peer b = ctx.connect();
    Optional<ErrorCode> refused = b.loginRefused(a.name(), ErrorCode.NAME_TAKEN);
    require(refused.isPresent(), "a second login of \"" + a.name() + "\" to be refused with NAME_TAKEN",
        "the server accepted it (two users share one name)");
    require(refused.get() == ErrorCode.NAME_TAKEN, "a second login of \"" + a.name() + "\" to be refused with NAME_TAKEN",
        "refused with " + refused.get());
    require(!b.wire().closedByPeer(), "the connection to stay open after NAME_TAKEN", "the server closed it");
    String second = ctx.name("b2");
    Optional<ErrorCode> retry = b.login(second);
    require(retry.isEmpty(), "the connection to stay anonymous and log in again as \"" + second + "\"",
        "refused with " + retry.orElse(null));
  }

  static void nameFreed(CheckContext ctx) {
    Peer a = ctx.user("a");
    Peer b = ctx.user("b");
    String freed = a.name();
    b.barrier();
    a.depart();
    List<Received> atB = awaitThenBarrier(b, leave(freed), ctx.timeouts().reply());
    boolean sawLeave = !matching(atB, leave(freed)).isEmpty();
    Peer c = ctx.connect();
    Optional<ErrorCode> refused = c.login(freed);
    require(refused.isEmpty(), "the name \"" + freed + "\" to be free once its user departed"
            + (sawLeave ? " and the leave notice was seen" : ""),
        "the login was refused with " + refused.orElse(null) + (sawLeave ? "" : " (and no leave notice arrived)"));
  }

  // ------------------------------------------------------------------ text

  static void malformedUtf8(CheckContext ctx) {
    Peer a = ctx.user("a");
    Peer b = ctx.user("b");
    a.barrier();
    byte[][] bad = {
      {(byte) 0xff, (byte) 0xfe}, {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
      {(byte) 0xe2, (byte) 0x82}, {(byte) 0x80}
    };
    for (byte[] b1 : bad) {
      byte[] frame = concat(Peer.utf8(a.line("SEND x", "sendall x") + " "), b1, Peer.utf8(" y\n"));
      a.sendRaw(frame);
      a.expectErrorReply(new String(frame, StandardCharsets.ISO_8859_1).trim(), ErrorCode.INVALID_ENCODING);
    }
    Expect.none(b, b.barrier(), Expect.anyMessage(), "message from a frame that is not UTF-8");
    a.sendAll("still usable");
    exactlyOnce(b, awaitThenBarrier(b, message(a.name(), "still usable"), ctx.timeouts().reply()),
        message(a.name(), "still usable"), "the next message (the connection stays usable)");
  }

  static void controlCharacters(CheckContext ctx) {
    Peer a = ctx.user("a");
    Peer b = ctx.user("b");
    a.barrier();
    List<String> bad = new ArrayList<>(List.of("nul\u0000x", "del\u007fx", "bare\rcr", "soh\u0001x", "esc\u001bx"));
    if (ctx.dialect() == Dialect.MODERN) {
      bad.add("tab\tx");
    }
    for (String text : bad) {
      String line = a.line("SEND " + text, "sendall " + text);
      a.expectError(line, ErrorCode.INVALID_ENCODING);
    }
    none(b, b.barrier(), Expect.anyMessage(), "message from a frame holding a control character");
    if (ctx.dialect() == Dialect.CLASSIC) {
      a.send(a.line("", "sendall tab\tvt\u000bff\u000cend"));
      exactlyOnce(b, awaitThenBarrier(b, messageFrom(a.name()), ctx.timeouts().reply()),
          message(a.name(), "tab vt ff end"), "\"tab vt ff end\": TAB, VT and FF are classic whitespace");
    }
  }

  static void separatorsAndBidiControls(CheckContext ctx) {
    Peer a = ctx.user("a");
    Peer b = ctx.user("b");
    a.barrier();
    // One of each kind, written out: NEL, CSI (C1), line and paragraph separator, RLO, LRI, PDI, RLM, ALM.
    List<String> bad = List.of("hi\u0085" + b.name() + " says pwned", "csi\u009b31m", "ls\u2028x", "ps\u2029x",
        "rlo\u202ex", "lri\u2066x\u2069", "rlm\u200fx", "alm\u061cx");
    for (String text : bad) {
      String line = a.line("SEND " + text, "sendall " + text);
      a.expectError(line, ErrorCode.INVALID_ENCODING);
    }
    String quit = a.line("QUIT bye\u2028now", "quit bye\u2028now");
    a.expectError(quit, ErrorCode.INVALID_ENCODING);
    none(b, b.barrier(), Expect.anyMessage(), "message from a frame holding a C1, separator or bidi control");
  }

  static void formatCharactersPass(CheckContext ctx) {
    Peer a = ctx.user("a");
    Peer b = ctx.user("b");
    a.barrier();
    // man ZWJ woman (an emoji sequence), ZWSP, ZWNJ, word joiner, BOM, soft hyphen, and an ideographic space.
    List<String> texts = List.of("\uD83D\uDC68\u200D\uD83D\uDC69", "a\u200bb\u200cc\u2060d", "\ufeffbom\u00adx",
        "\u3000");
    for (String text : texts) {
      a.send(a.line("SEND " + text, "sendall " + text));
      if (ctx.dialect() == Dialect.MODERN) {
        a.expectReply("SEND " + text, Reply.SendAllOk.class, "\"OK SEND\" to a text of format characters");
      }
      exactlyOnce(b, awaitThenBarrier(b, messageFrom(a.name()), ctx.timeouts().reply()), message(a.name(), text),
          "the text " + Escapes.literal(text) + " unchanged");
    }
  }

  static void emptyText(CheckContext ctx) {
    Peer a = ctx.user("a");
    Peer b = ctx.user("b");
    a.barrier();
    List<String> lines = ctx.dialect() == Dialect.MODERN
        ? List.of("SEND ", "SEND    ", "SENDTO " + b.name() + " ", "SENDTO " + b.name() + "    ")
        : List.of(a.line("", "sendall"), a.line("", "sendall    "), a.line("", "sendto " + b.name()),
            a.line("", "sendto " + b.name() + "   "));
    for (String line : lines) {
      a.expectError(line, ErrorCode.INVALID_COMMAND);
    }
    none(b, b.barrier(), Expect.anyMessage(), "empty message");
  }

  static void longestLineAccepted(CheckContext ctx) {
    Peer a = ctx.user("a");
    Peer b = ctx.user("b");
    a.barrier();
    int max = ctx.maxLineLength();
    String head = a.line("SEND ", "sendall ");
    String text = fill(max - head.length(), 'L');
    a.send(head + text);
    if (ctx.dialect() == Dialect.MODERN) {
      a.expectReply(head + text, Reply.SendAllOk.class, "\"OK SEND\" to a line of exactly " + max + " bytes");
    }
    exactlyOnce(b, awaitThenBarrier(b, messageFrom(a.name()), ctx.timeouts().reply()), message(a.name(), text),
        "the message of a line of exactly maxline = " + max + " bytes");
    a.sendRaw(Peer.utf8(head + text + "\r\n"));
    if (ctx.dialect() == Dialect.MODERN) {
      a.expectReply(head + text, Reply.SendAllOk.class, "\"OK SEND\" to a line of " + max + " bytes ended by CR LF");
    }
    exactlyOnce(b, awaitThenBarrier(b, messageFrom(a.name()), ctx.timeouts().reply()), message(a.name(), text),
        "the message of a line of " + max + " bytes ended by CR LF");
  }

  static void overlongLine(CheckContext ctx) {
    Peer a = ctx.user("a");
    Peer b = ctx.user("b");
    a.barrier();
    int max = ctx.maxLineLength();
    String head = a.line("SEND ", "sendall ");
    for (int length : new int[] {max + 1, max * 3 + 7}) {
      String line = head + fill(length - head.length(), 'X');
      a.sendRaw(Peer.utf8(line + "\n"));
      Received r = a.expectErrorReply(line, ErrorCode.LINE_TOO_LONG);
      ctx.transcript().note(a.label(), "got " + r.wire() + " for a line of " + length + " bytes");
      List<Received> after = a.barrier();
      none(a, after, Expect.error(ErrorCode.LINE_TOO_LONG), "second LINE_TOO_LONG for the same line of " + length + " bytes");
      none(a, after, Expect.anyError(), "other reply to the rest of the discarded line of " + length + " bytes");
    }
    none(b, b.barrier(), Expect.anyMessage(), "message from an overlong line");
    a.sendAll("usable");
    exactlyOnce(b, awaitThenBarrier(b, messageFrom(a.name()), ctx.timeouts().reply()), message(a.name(), "usable"),
        "the next message (the connection stays usable)");
  }

  // ------------------------------------------------------------------ dialects

  static void dialectDetection(CheckContext ctx) {
    Peer m = ctx.connectRaw(Dialect.MODERN);
    m.send("PING d1");
    Received r = m.reply("PING d1");
    require(r.message() instanceof Reply.PingOk, "\"OK PING d1\": PING is a modern verb",
        r.wire());
    Peer split = ctx.connectRaw(Dialect.MODERN);
    split.wire().sendNow(Peer.utf8("PI"));
    split.wire().sendNow(Peer.utf8("NG d2\n"));
    r = split.reply("PING d2");
    require(r.message() instanceof Reply.PingOk, "\"OK PING d2\" for a first token split across writes", r.wire());
    Peer c = ctx.connectRaw(Dialect.CLASSIC).claiming(ctx.name("c"));
    c.send("Ping says list");
    r = c.reply("Ping says list");
    require(r.raw().startsWith("\r"), "a classic reply (starting with CR): \"Ping\" is not exactly a modern verb",
        r.wire());
  }

  static void dialectsShareUsers(CheckContext ctx) {
    Peer modern = ctx.user("m", Dialect.MODERN);
    Peer classic = ctx.user("c", Dialect.CLASSIC);
    exactlyOnce(modern, awaitThenBarrier(modern, join(classic.name()), ctx.timeouts().reply()), join(classic.name()),
        "the join of the classic user " + classic.name());
    modern.sendAll("from modern");
    exactlyOnce(classic, awaitThenBarrier(classic, messageFrom(modern.name()), ctx.timeouts().reply()),
        message(modern.name(), "from modern"), "the modern user's broadcast, in the classic dialect");
    classic.sendAll("from classic");
    exactlyOnce(modern, awaitThenBarrier(modern, messageFrom(classic.name()), ctx.timeouts().reply()),
        message(classic.name(), "from classic"), "the classic user's broadcast, in the modern dialect");
    List<String> listed = classic.ownUsers();
    require(listed.equals(List.of(modern.name(), classic.name())),
        "one user list for both dialects: [" + modern.name() + ", " + classic.name() + "]", "the classic list shows " + listed);
    Peer clash = ctx.connect(Dialect.CLASSIC);
    Optional<ErrorCode> refused = clash.loginRefused(modern.name().toUpperCase(Locale.ROOT), ErrorCode.NAME_TAKEN);
    require(refused.isPresent() && refused.get() == ErrorCode.NAME_TAKEN,
        "a classic login of the modern user's name to be refused with NAME_TAKEN",
        refused.map(c -> "refused with " + c).orElse("accepted"));
    classic.close();
    exactlyOnce(modern, awaitThenBarrier(modern, leave(classic.name()), ctx.timeouts().reply()), leave(classic.name()),
        "the classic user's departure");
  }

  // ------------------------------------------------------------------ delivery

  static void broadcastDelivery(CheckContext ctx) {
    Peer anon = ctx.connect();
    Peer a = ctx.user("a");
    Peer b = ctx.user("b");
    Peer c = ctx.user("c");
    ctx.settle(a, b, c, anon);
    a.sendAll("to everyone");
    for (Peer p : List.of(b, c)) {
      exactlyOnce(p, awaitThenBarrier(p, messageFrom(a.name()), ctx.timeouts().reply()), message(a.name(), "to everyone"),
          "the broadcast of " + a.name());
    }
    none(a, a.barrier(), messageFrom(a.name()), "copy of its own broadcast");
    none(anon, anon.barrier(), messageFrom(a.name()), "broadcast while anonymous");
  }

  static void privateDelivery(CheckContext ctx) {
    Peer a = ctx.user("a");
    Peer b = ctx.user("b");
    Peer c = ctx.user("c");
    ctx.settle(a, b, c);
    a.sendTo(b.name(), "just for b");
    exactlyOnce(b, awaitThenBarrier(b, messageFrom(a.name()), ctx.timeouts().reply()), message(a.name(), "just for b"),
        "the private message addressed to it");
    none(c, c.barrier(), messageFrom(a.name()), "private message addressed to " + b.name());
    none(a, a.barrier(), messageFrom(a.name()), "copy of its private message to " + b.name());
    a.sendTo(a.name(), "note to self");
    exactlyOnce(a, awaitThenBarrier(a, messageFrom(a.name()), ctx.timeouts().reply()), message(a.name(), "note to self"),
        "its private message to itself");
    none(b, b.barrier(), messageFrom(a.name()), "private message " + a.name() + " sent itself");
  }

  static void attribution(CheckContext ctx) {
    Peer a = ctx.connect().loginOk(ctx.namePrefix() + "AttrA");
    Peer b = ctx.user("b");
    Peer c = ctx.user("c");
    ctx.settle(a, b, c);
    a.sendAll("mine");
    exactlyOnce(c, awaitThenBarrier(c, messageText("mine"), ctx.timeouts().reply()), message(a.name(), "mine"),
        "the message attributed to \"" + a.name() + "\" exactly as it logged in");
    if (ctx.dialect() == Dialect.CLASSIC) {
      b.send(a.name() + " says sendall spoofed");
      b.barrier();
      none(c, awaitThenBarrier(c, messageText("spoofed"), ctx.timeouts().silence()), message(a.name(), "spoofed"),
          "message attributed to " + a.name() + " that " + b.name() + " sent claiming that name");
    }
    b.sendAll("from b");
    List<Received> atC = awaitThenBarrier(c, messageText("from b"), ctx.timeouts().reply());
    exactlyOnce(c, atC, message(b.name(), "from b"), "the message of " + b.name() + " attributed to " + b.name());
  }

  private static java.util.function.Predicate<Received> messageText(String text) {
    return Expect.messageText(text);
  }

  static void joinNotices(CheckContext ctx) {
    Peer anon = ctx.connect();
    Peer a = ctx.user("a");
    Peer b = ctx.user("b");
    ctx.settle(a, b, anon);
    Peer c = ctx.connect();
    String name = ctx.name("c");
    c.loginOk(name);
    for (Peer p : List.of(a, b)) {
      exactlyOnce(p, awaitThenBarrier(p, join(name), ctx.timeouts().reply()), join(name), "the join of " + name);
    }
    none(c, c.barrier(), join(name), "join notice of its own login");
    none(anon, anon.barrier(), join(name), "join notice while anonymous");
  }

  static void leaveNotices(CheckContext ctx) {
    // The departing users are neither the first nor the last to log in, so a server that announces the
    // wrong user (the most recent, the oldest) cannot pass by accident.
    Peer a = ctx.user("a");
    Peer quitter = ctx.user("q");
    Peer resetter = ctx.user("r");
    Peer b = ctx.user("b");
    ctx.settle(a, b);
    Duration noSettle = Duration.ZERO;
    quitter.depart();
    java.util.Map<Peer, List<Received>> seen = new java.util.LinkedHashMap<>();
    for (Peer p : List.of(a, b)) {
      seen.put(p, new ArrayList<>(Expect.awaitSettleThenBarrier(p, leave(quitter.name()), ctx.timeouts().reply(), noSettle)));
    }
    resetter.wire().abort();
    for (Peer p : List.of(a, b)) {
      seen.get(p).addAll(p.wire().until(r -> p.relevant(r) && leave(resetter.name()).test(r), ctx.timeouts().reply())
          .stream().filter(p::relevant).collect(java.util.stream.Collectors.toList()));
    }
    // One settle window for both departures: a repeated notice may come late (GEN-LIMIT-6's original).
    Duration settle = ctx.timeouts().departureSettle();
    ctx.transcript().note("#", "listening " + settle.toMillis() + " ms (departure settle) before judging");
    for (Peer p : List.of(a, b)) {
      seen.get(p).addAll(p.wire().until(r -> false, p == a ? settle : Duration.ZERO).stream().filter(p::relevant)
          .collect(java.util.stream.Collectors.toList()));
      seen.get(p).addAll(p.barrier());
    }
    for (Peer p : List.of(a, b)) {
      List<Received> frames = seen.get(p);
      String how = ctx.dialect() == Dialect.MODERN ? "QUIT" : "closed";
      onceAfterSettle(p, frames, leave(quitter.name()), "the departure of " + quitter.name() + " (" + how + ")", settle);
      onceAfterSettle(p, frames, leave(resetter.name()), "the departure of " + resetter.name() + " (connection reset)",
          settle);
      for (Peer stayed : List.of(a, b)) {
        none(p, frames, leave(stayed.name()), "leave notice of " + stayed.name() + ", who did not leave");
      }
    }
    Peer anon = ctx.connect();
    anon.barrier();
    int mark = a.wire().receivedCount();
    anon.close();
    a.wire().until(r -> r.message() instanceof Event.UserLeft, ctx.timeouts().silence());
    a.barrier();
    List<Received> after = a.wire().history();
    List<Received> leaves = after.subList(Math.min(mark, after.size()), after.size()).stream()
        .filter(r -> r.message() instanceof Event.UserLeft
            && (a.relevant(r) || WireTables.UNNAMED.equals(((Event.UserLeft) r.message()).name())))
        .collect(java.util.stream.Collectors.toList());
    none(a, leaves, r -> true, "leave notice when an anonymous connection closes");
  }

  /** Exactly once, judged after {@code settle}; a count of 0 also shows the nameless notices (CL-VARIANT-2) seen. */
  static void onceAfterSettle(Peer p, List<Received> frames, java.util.function.Predicate<Received> what, String text,
      Duration settle) {
    List<Received> hits = matching(frames, what);
    if (hits.size() != 1) {
      List<Received> unnamed = matching(p.wire().history(), r -> r.message() instanceof Event.UserLeft
          && WireTables.UNNAMED.equals(((Event.UserLeft) r.message()).name()));
      throw new CheckFailure(p.who() + " receives " + text + " exactly once (judged " + settle.toMillis()
          + " ms after the first arrived, the departure settle time)", p.who() + " received it " + hits.size()
          + " times; its frames: " + frames + (unnamed.isEmpty() ? "" : "; nameless leave notices it got: " + unnamed)
          + p.unrecognisedSoFar());
    }
  }

  /**
   * GEN-LEAVE-2, for launchers that own the server: shuts it down while two users and an anonymous
   * connection are connected; each must be told SHUTTING_DOWN and closed, and no leave notice is sent.
   */
  static void shutdown(CheckContext ctx, Runnable shutdown) {
    Peer a = ctx.user("a");
    Peer b = ctx.user("b");
    Peer anon = ctx.connect();
    ctx.settle(a, b, anon);
    ctx.transcript().note("#", "the launcher shuts the server down");
    Thread stopper = new Thread(shutdown, "obrol-conformance-shutdown");
    stopper.setDaemon(true);
    stopper.start();
    for (Peer p : List.of(a, b, anon)) {
      require(p.wire().awaitClosedByPeer(ctx.maxWait()), p.who() + "'s connection to be closed by the shutdown",
          "it stayed open for " + ctx.maxWait().toMillis() + " ms");
      List<Received> frames = p.wire().drain().stream().filter(p::relevant).collect(java.util.stream.Collectors.toList());
      require(!frames.isEmpty() && Expect.error(ErrorCode.SHUTTING_DOWN).test(frames.get(frames.size() - 1)),
          p.who() + " to be told " + p.describeError(ErrorCode.SHUTTING_DOWN) + " as the last frame before the close",
          frames.isEmpty() ? "nothing before the close" : frames.toString());
      none(p, frames, r -> r.message() instanceof Event.UserLeft, "leave notice for the users the shutdown disconnects");
    }
  }

  static void userList(CheckContext ctx) {
    Peer anon = ctx.connect().claiming(ctx.name("anon"));
    anon.barrier();
    Peer a = ctx.user("a");
    Peer b = ctx.user("b");
    Peer c = ctx.user("c");
    List<String> expected = List.of(a.name(), b.name(), c.name());
    List<String> listed = b.ownUsers();
    require(listed.equals(expected), "the list (this check's users) to be " + expected
        + ": every user once, the requester included, oldest login first, no anonymous connection",
        listed.toString());
    b.depart();
    awaitThenBarrier(a, leave(b.name()), ctx.timeouts().reply());
    listed = a.ownUsers();
    require(listed.equals(List.of(a.name(), c.name())), "after " + b.name() + " departed, the list to be ["
        + a.name() + ", " + c.name() + "]", listed.toString());
  }

  // ------------------------------------------------------------------ order

  static void framesInOrder(CheckContext ctx) {
    Peer a = ctx.user("a");
    Peer b = ctx.user("b");
    ctx.settle(a, b);
    if (ctx.dialect() == Dialect.MODERN) {
      a.wire().sendNow(Peer.utf8("PING o1\nPING o2\nSEND o3\nPING o4\nSENDTO " + b.name() + " o5\nPING o6\n"));
      List<String> replies = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        replies.add(a.reply("(pipelined)").raw());
      }
      List<String> want = List.of("OK PING o1", "OK PING o2", "OK SEND", "OK PING o4", "OK SENDTO " + b.name(), "OK PING o6");
      require(replies.equals(want), "replies in the order of the lines: " + want, replies.toString());
    } else {
      for (int i = 1; i <= 3; i++) {
        a.send(a.line("", "sendall o" + i));
      }
    }
    List<Received> atB = Expect.matching(awaitThenBarrier(b, message(a.name(), ctx.dialect() == Dialect.MODERN ? "o5" : "o3"),
        ctx.timeouts().reply()), messageFrom(a.name()));
    List<String> texts = new ArrayList<>();
    atB.forEach(r -> texts.add(((Event.Message) r.message()).text()));
    List<String> want = ctx.dialect() == Dialect.MODERN ? List.of("o3", "o5") : List.of("o1", "o2", "o3");
    require(texts.equals(want), b.label() + " receives " + want + " in the order they were sent", texts.toString());
  }

  static void perSenderOrder(CheckContext ctx) {
    Peer b = ctx.user("b");
    b.barrier();
    Peer a = ctx.user("a");
    for (int i = 1; i <= 5; i++) {
      a.sendAll("m" + i);
    }
    int mark = b.wire().receivedCount();
    a.depart();
    awaitThenBarrier(b, leave(a.name()), ctx.timeouts().reply());
    // Judged on everything b received, so that a nameless departure notice (CL-VARIANT-2) is seen too.
    List<Received> seen = b.wire().history();
    boolean named = seen.stream().anyMatch(leave(a.name()));
    List<String> got = new ArrayList<>();
    for (int i = 0; i < seen.size(); i++) {
      Received r = seen.get(i);
      if (join(a.name()).test(r)) {
        got.add("join");
      } else if (leave(a.name()).test(r)) {
        got.add("leave");
      } else if (!named && i >= mark && r.message() instanceof Event.UserLeft
          && WireTables.UNNAMED.equals(((Event.UserLeft) r.message()).name()) && !got.contains("leave")) {
        got.add("leave");
        ctx.variant("the departure of " + a.name() + " was announced as " + r.wire() + " without its name (CL-VARIANT-2;"
            + " GEN-LEAVE-1 and CL-LEAVE-1 judge the notice)");
      } else if (messageFrom(a.name()).test(r)) {
        got.add(((Event.Message) r.message()).text());
      }
    }
    List<String> want = List.of("join", "m1", "m2", "m3", "m4", "m5", "leave");
    require(got.equals(want), b.label() + " sees " + a.name() + "'s events in order " + want, got + " (frames: " + seen + ")");
  }

  static void barrierOrder(CheckContext ctx) {
    Peer a = ctx.user("a");
    Peer b = ctx.user("b");
    ctx.settle(a, b);
    for (int i = 1; i <= 3; i++) {
      a.sendAll("before barrier " + i);
      a.barrier(); // the server has processed the broadcast before b's barrier below is read
      List<Received> atB = b.barrier();
      if (matching(atB, message(a.name(), "before barrier " + i)).size() != 1) {
        List<Received> later = b.wire().until(r -> b.relevant(r) && messageFrom(a.name()).test(r), ctx.timeouts().silence());
        throw new CheckFailure(b.label() + " receives \"before barrier " + i + "\" before the reply to its barrier,"
            + " sent after " + a.label() + "'s broadcast was answered",
            matching(later, messageFrom(a.name())).isEmpty()
                ? "it never arrived (frames before the reply: " + atB + ")"
                : "it arrived after the reply: " + later);
      }
    }
  }

  // ------------------------------------------------------------------ limits

  static void loginTimeout(CheckContext ctx) {
    Duration timeout = ctx.run().options().loginTimeout().orElseThrow(() -> CheckContext.skip(
        "declare the server's login timeout (--login-timeout, or loginTimeout() in the TCK) to check it"));
    if (timeout.compareTo(ctx.maxWait()) > 0) {
      throw CheckContext.skip("the login timeout " + timeout.toMillis() + " ms exceeds the longest wait allowed ("
          + ctx.maxWait().toMillis() + " ms, --max-wait)");
    }
    Peer p = ctx.connect();
    p.barrier();
    Duration wait = timeout.plus(ctx.timeouts().reply());
    Received r = p.replyOrNull(wait);
    require(r != null && Expect.error(ErrorCode.LOGIN_TIMEOUT).test(r),
        p.describeError(ErrorCode.LOGIN_TIMEOUT) + " within the login timeout of " + timeout.toMillis() + " ms",
        r == null ? p.nothingWithin(wait) : r.wire());
    require(p.wire().awaitClosedByPeer(ctx.timeouts().reply()), "the connection to be closed after LOGIN_TIMEOUT",
        "it stayed open");
  }

  static void serverFull(CheckContext ctx) {
    int max = ctx.run().options().maxConnections();
    if (max <= 0 || max > 200) {
      throw CheckContext.skip(max <= 0
          ? "declare the server's connection limit (--max-connections, or maxConnections() in the TCK) to check it"
          : "the declared connection limit " + max + " is above the 200 connections the check may open");
    }
    Peer a = ctx.user("a");
    // The limit is the server's own: every slot filler goes to one address (with several addresses the second,
    // so that user a, on the first, shows that users of another node are not affected either).
    java.net.InetSocketAddress target = ctx.nextAddress();
    boolean spreadSources = loopbackSourcesWork(target);
    if (spreadSources) {
      // A server may bound the connections one source address holds open before logging in (the reference server:
      // 64 by default, GEN-LIMIT-10); a limit above that would be hit first. Each filler comes from its own
      // loopback address, as that many distinct clients would.
      ctx.transcript().note("#", "slot fillers connect from 127.0.0.2 upwards, one source address each");
    }
    for (int i = 0; i <= max; i++) {
      java.net.InetAddress source = spreadSources ? loopbackSource(i) : null;
      Peer p = ctx.connectRawTo(target, source, ctx.dialect()).claiming(ctx.name("f" + i));
      p.send(p.line("PING f" + i, "list"));
      Received r = p.replyOrNull(ctx.timeouts().reply());
      if (r != null && Expect.error(ErrorCode.SERVER_FULL).test(r)) {
        require(p.wire().awaitClosedByPeer(ctx.timeouts().reply()), "the connection to be closed after SERVER_FULL",
            "it stayed open");
        a.barrier();
        return;
      }
    }
    throw new CheckFailure(a.describeError(ErrorCode.SERVER_FULL) + " once " + (max + 1)
        + " connections are open (the declared limit is " + max + ")", "every connection was served");
  }

  /** The {@code i}-th slot filler's source address: 127.0.0.2, 127.0.0.3, ... (at most 201 are used). */
  static java.net.InetAddress loopbackSource(int i) {
    try {
      return java.net.InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (2 + i % 250)});
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e); // four bytes are always a valid IPv4 address
    }
  }

  /**
   * Whether slot fillers can come from distinct loopback addresses: the target is an IPv4 loopback address and
   * this system lets a socket bind 127.0.0.2 (Linux routes all of 127.0.0.0/8 to loopback; others may not).
   */
  static boolean loopbackSourcesWork(java.net.InetSocketAddress target) {
    if (target.getAddress() == null || !target.getAddress().isLoopbackAddress()
        || !(target.getAddress() instanceof java.net.Inet4Address)) {
      return false;
    }
    try (java.net.Socket probe = new java.net.Socket()) {
      probe.bind(new java.net.InetSocketAddress(loopbackSource(0), 0));
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  static void misbehaviourIsolated(CheckContext ctx) {
    Peer a = ctx.user("a");
    Peer bad = ctx.user("x");
    Peer b = ctx.user("b");
    ctx.settle(a, b);
    ByteArrayOutputStream garbage = new ByteArrayOutputStream();
    for (int i = 0; i < 64; i++) {
      garbage.write(i * 37 % 256);
    }
    garbage.write('\n');
    bad.wire().sendNow(garbage.toByteArray());
    bad.wire().sendNow(Peer.utf8(fill(ctx.maxLineLength() * 2, 'G') + "\n"));
    StringBuilder flood = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      flood.append(bad.line("BOGUS " + i, "bogus " + i)).append('\n');
    }
    bad.wire().sendNow(Peer.utf8(flood.toString()));
    bad.wire().abort();
    a.sendAll("unaffected");
    Duration settle = ctx.timeouts().departureSettle();
    for (Peer p : List.of(b)) {
      List<Received> seen = Expect.awaitSettleThenBarrier(p, leave(bad.name()), ctx.timeouts().reply(), Duration.ZERO);
      seen.addAll(Expect.awaitSettleThenBarrier(p, messageFrom(a.name()), ctx.timeouts().reply(), Duration.ZERO));
      // A repeated departure notice may come late: listen for the departure settle time before judging.
      ctx.transcript().note("#", "listening " + settle.toMillis() + " ms (departure settle) before judging");
      seen.addAll(p.wire().until(r -> false, settle).stream().filter(p::relevant)
          .collect(java.util.stream.Collectors.toList()));
      seen.addAll(p.barrier());
      exactlyOnce(p, seen, message(a.name(), "unaffected"), "the message of a well-behaved user");
      List<Received> leaves = matching(seen, leave(bad.name()));
      // Whether the departure is announced (and how) is GEN-LEAVE-1's business; announcing it more than
      // once is an effect of the misbehaviour on others.
      require(leaves.size() <= 1, p.who() + " receives the departure of the misbehaving user at most once (judged "
          + settle.toMillis() + " ms after the first arrived, the departure settle time)",
          p.who() + " received it " + leaves.size() + " times; its frames: " + seen);
      none(p, seen, r -> r.message() == null || messageFrom(bad.name()).test(r) || Expect.anyError().test(r),
          "frame caused by another connection's garbage");
    }
    none(a, a.barrier(), r -> r.message() == null || Expect.anyError().test(r), "error caused by another connection's garbage");
  }

  // ------------------------------------------------------------------ framing

  static void framingIndependentOfChunks(CheckContext ctx) {
    Peer a = ctx.user("a");
    Peer b = ctx.user("b");
    ctx.settle(a, b);
    // CR LF terminator.
    a.sendRaw(Peer.utf8(a.line("SEND crlf", "sendall crlf") + "\r\n"));
    if (ctx.dialect() == Dialect.MODERN) {
      a.expectReply("SEND crlf", Reply.SendAllOk.class, "\"OK SEND\" to a line ended by CR LF");
    }
    exactlyOnce(b, awaitThenBarrier(b, messageFrom(a.name()), ctx.timeouts().reply()), message(a.name(), "crlf"),
        "\"crlf\" (the CR before LF belongs to the terminator)");
    // One byte per write.
    byte[] line = Peer.utf8(a.line("SEND bytewise", "sendall bytewise") + "\n");
    for (byte x : line) {
      a.wire().sendNow(new byte[] {x});
    }
    if (ctx.dialect() == Dialect.MODERN) {
      a.expectReply("SEND bytewise", Reply.SendAllOk.class, "\"OK SEND\" to a line written one byte at a time");
    }
    exactlyOnce(b, awaitThenBarrier(b, messageFrom(a.name()), ctx.timeouts().reply()), message(a.name(), "bytewise"),
        "\"bytewise\", a frame written one byte per TCP write");
    // Two frames in one write.
    a.barrier();
    a.wire().sendNow(Peer.utf8(a.line("SEND first", "sendall first") + "\n" + a.line("SEND second", "sendall second") + "\n"));
    if (ctx.dialect() == Dialect.MODERN) {
      a.expectReply("SEND first", Reply.SendAllOk.class, "\"OK SEND\" to the first of two frames in one write");
      a.expectReply("SEND second", Reply.SendAllOk.class, "\"OK SEND\" to the second of two frames in one write");
    }
    List<Received> seen = awaitThenBarrier(b, message(a.name(), "second"), ctx.timeouts().reply());
    List<Received> fromA = matching(seen, messageFrom(a.name()));
    require(fromA.size() == 2 && message(a.name(), "first").test(fromA.get(0)) && message(a.name(), "second").test(fromA.get(1)),
        b.label() + " receives two messages, \"first\" then \"second\", from two frames written in one TCP write",
        fromA.toString());
  }

  static void failFastOnLongLine(CheckContext ctx) {
    Peer a = ctx.user("a");
    a.barrier();
    int max = ctx.maxLineLength();
    String head = a.line("SEND ", "sendall ");
    String partial = head + fill(max + 1 - head.length(), 'F');
    a.wire().sendNow(Peer.utf8(partial));
    Received r = a.replyOrNull(ctx.timeouts().reply());
    require(r != null && Expect.error(ErrorCode.LINE_TOO_LONG).test(r),
        a.describeError(ErrorCode.LINE_TOO_LONG) + " as soon as " + (max + 1) + " bytes of an unfinished frame arrived,"
            + " before its LF", r == null ? a.nothingWithin(ctx.timeouts().reply()) : r.wire());
    if (ctx.dialect() == Dialect.MODERN) {
      a.wire().sendNow(Peer.utf8(fill(1000, 'F') + "\n"));
    } else {
      // Classic: the quiet period may end the discarded frame instead of an LF (GEN-LINE-2).
      a.wire().until(x -> false, ctx.run().options().quietPeriod().multipliedBy(3));
    }
    List<Received> after = a.barrier();
    none(a, after, Expect.anyError(), "further reply for the discarded frame");
  }

  // ------------------------------------------------------------------ helpers

  static String fill(int n, char c) {
    return String.valueOf(c).repeat(Math.max(0, n));
  }

  static String pad(String s, int length) {
    return s + fill(length - s.length(), 'p');
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.write(p, 0, p.length);
    }
    return out.toByteArray();
  }
}
