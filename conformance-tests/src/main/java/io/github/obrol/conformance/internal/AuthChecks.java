package io.github.obrol.conformance.internal;

import static io.github.obrol.conformance.internal.CheckContext.require;

import io.github.obrol.conformance.ConformanceSecurity;
import io.github.obrol.conformance.internal.RuleCheck.Scope;
import io.github.obrol.protocol.Dialect;
import io.github.obrol.protocol.ErrorCode;
import io.github.obrol.protocol.Event;
import io.github.obrol.protocol.Reply;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Checks of PROTOCOL.md section 8 (TLS and AUTH) over the wire. They need a server that announces
 * authentication ({@code auth=} in its greeting, AUTH-2): otherwise they are SKIPPED with that reason.
 * Those that log in need {@code --accounts}; without it they are INCONCLUSIVE. Real passwords are sent
 * only over TLS (or where the server announces PLAIN on plain text) and never appear in a transcript.
 */
final class AuthChecks {
  private static final Scope M = Scope.MODERN;
  /** AUTH-11: the failures after which an account is refused for a while. */
  private static final int ACCOUNT_FAILURE_LIMIT = 5;

  private AuthChecks() {}

  static void register(CheckRegistry r) {
    for (String id : List.of("TLS-1", "TLS-2", "TLS-3", "TLS-4", "TLS-5", "AUTH-1", "AUTH-2", "AUTH-3", "AUTH-4",
        "AUTH-5", "AUTH-6", "AUTH-7", "AUTH-8", "AUTH-9", "AUTH-10", "AUTH-11", "AUTH-12", "AUTH-13",
        "AUTH-14")) {
      r.untested(id, Scope.CLASSIC, "TLS and AUTH are checked in the modern dialect's run (--dialect modern):"
          + " classic frames cannot carry credentials");
    }
    r.check("TLS-1", M, AuthChecks::tlsAndPlainOnOnePort);
    r.untested("TLS-2", M, "the JDK disables TLS 1.0 and 1.1 on the client side, so the suite cannot offer them;"
        + " the version negotiated with the suite is in the TLS-1 transcript");
    r.check("TLS-3", M, AuthChecks::requireTls);
    r.untested("TLS-4", M, "needs control of the server's certificate files (the server's own tests check reload)");
    r.untested("TLS-5", M, "the suite presents no client certificate");
    r.untested("AUTH-1", M, "the verb is exercised by every AUTH check; the reserved name by the server's own tests");
    r.check("AUTH-2", M, AuthChecks::greetingAnnouncesMechanisms);
    r.untested("AUTH-3", M, "the request syntax is exercised by AUTH-4 to AUTH-7");
    r.check("AUTH-4", M, AuthChecks::plainSucceeds);
    r.check("AUTH-5", M, AuthChecks::wrongPasswordRefused);
    r.check("AUTH-6", M, AuthChecks::unsupportedAndMalformed);
    r.check("AUTH-7", M, AuthChecks::noSecondAuth);
    r.untested("AUTH-8", M, "PLAIN is checked by AUTH-4; TOKEN, SCRAM-SHA-256 and EXTERNAL need a token, a SCRAM"
        + " client or a client certificate, which the suite does not have");
    r.check("AUTH-9", M, AuthChecks::plainRefusedOverPlainText);
    r.check("AUTH-10", M, AuthChecks::loginNeedsAuthAndAllowedName);
    r.check("AUTH-11", M, AuthChecks::failuresThrottled);
    r.untested("AUTH-12", M, "classic logins on a server that requires authentication depend on --classic-open,"
        + " which the suite cannot know");
    r.untested("AUTH-13", M, "logs are not visible over the wire; AUTH-5 checks that error texts do not echo the"
        + " password");
    r.untested("AUTH-14", M, "SCRAM-SHA-256 needs a SCRAM client, which the suite does not have (the server's and"
        + " the client's own tests check it against RFC 7677's example)");
  }

  // ------------------------------------------------------------------ helpers

  /** The greeting's capabilities on a new connection over {@code security}'s transport, and the peer. */
  private record Greeted(Peer peer, Map<String, String> capabilities) {
    List<String> mechanisms() {
      String auth = capabilities.getOrDefault("auth", "");
      return auth.isEmpty() ? List.of() : Arrays.asList(auth.split(",", -1));
    }

    boolean authRequired() {
      return "1".equals(capabilities.get("authreq"));
    }
  }

  private static Greeted greet(CheckContext ctx, ConformanceSecurity security) {
    Peer p = ctx.connectRaw(Dialect.MODERN, security);
    p.authenticatesItself();
    p.send("HELLO obrol/1");
    Received r = p.reply("HELLO obrol/1");
    if (!(r.message() instanceof Reply.HelloOk)) {
      throw new PreconditionFailure("\"OK HELLO ...\" in reply to \"HELLO obrol/1\\n\" on " + p.label() + "; got "
          + r.wire());
    }
    return new Greeted(p, ((Reply.HelloOk) r.message()).capabilities());
  }

  private static Greeted greet(CheckContext ctx) {
    return greet(ctx, ctx.run().options().security());
  }

  /** A greeting that offers PLAIN on the suite's transport, or the check ends SKIPPED or INCONCLUSIVE. */
  private static Greeted greetWithPlain(CheckContext ctx) {
    Greeted g = greet(ctx);
    if (g.mechanisms().isEmpty()) {
      throw CheckContext.skip("the server announces no auth mechanism (AUTH-2: no auth capability), so it does not"
          + " authenticate" + (ctx.run().options().security().tls() ? "" : " on plain text; try --tls")
          + ": this rule needs a server configured with accounts");
    }
    if (!g.mechanisms().contains("PLAIN")) {
      throw CheckContext.skip("the server does not offer PLAIN on this connection (auth=" + String.join(",",
          g.mechanisms()) + ")" + (ctx.run().options().security().tls() ? "" : "; PLAIN needs TLS (AUTH-9): use --tls"));
    }
    return g;
  }

  /**
   * The account the AUTH checks log in with: the second --accounts entry if there is one (the first is for the
   * suite's generated users and may be allowed many names), else the first.
   */
  private static ConformanceSecurity.Account checkingAccount(CheckContext ctx) {
    return account(ctx, ctx.run().options().security().accounts().size() > 1 ? 1 : 0);
  }

  private static ConformanceSecurity.Account account(CheckContext ctx, int index) {
    List<ConformanceSecurity.Account> accounts = ctx.run().options().security().accounts();
    if (accounts.size() <= index) {
      throw new PreconditionFailure(accounts.isEmpty()
          ? "an account to log in with: the server authenticates; give --accounts FILE (name:password lines)"
          : "at least " + (index + 1) + " accounts in --accounts (it has " + accounts.size() + ")");
    }
    return accounts.get(index);
  }

  /** {@code AUTH PLAIN base64(NUL name NUL password)}, written straight from RFC 4616, not by our codecs. */
  static String plainLine(String name, String password) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    byte[] pw = password.getBytes(StandardCharsets.UTF_8);
    byte[] message = new byte[2 + n.length + pw.length];
    System.arraycopy(n, 0, message, 1, n.length);
    System.arraycopy(pw, 0, message, 2 + n.length, pw.length);
    return "AUTH PLAIN " + Base64.getEncoder().encodeToString(message);
  }

  /** Sends AUTH PLAIN for {@code account}, hiding the password in the transcript; returns the reply. */
  private static Received authPlain(Peer p, String name, String password, Duration wait) {
    String shown = "AUTH PLAIN <base64 of NUL " + name + " NUL (password hidden)>";
    p.wire().sendSecret(plainLine(name, password), shown);
    Received r = p.replyOrNull(wait);
    if (r == null) {
      throw new CheckFailure("a reply to " + shown + " on " + p.label(), p.nothingWithin(wait) + p.unrecognisedSoFar());
    }
    return r;
  }

  private static Received authPlain(CheckContext ctx, Peer p, ConformanceSecurity.Account account) {
    return authPlain(p, account.name(), account.password(), failureWait(ctx));
  }

  /** AUTH-11 holds a failure's reply back by up to 4 s: wait for at least that plus the reply timeout. */
  private static Duration failureWait(CheckContext ctx) {
    return ctx.timeouts().reply().plusSeconds(5);
  }

  private static ErrorCode errorOf(Received r) {
    if (r.message() instanceof Reply.Error) {
      return ((Reply.Error) r.message()).code();
    }
    if (r.message() instanceof Event.Bye) {
      return ((Event.Bye) r.message()).code();
    }
    return null;
  }

  private static String textOf(Received r) {
    return r.message() instanceof Reply.Error ? ((Reply.Error) r.message()).text() : "";
  }

  private static void requireError(Received r, ErrorCode code, String sent) {
    require(errorOf(r) == code, "\"ERR " + code + " ...\" in reply to " + sent, r.wire());
  }

  private static void requireAuthOk(Received r, String account, String sent) {
    require(r.message() instanceof Reply.AuthOk && Peer.sameName(((Reply.AuthOk) r.message()).account(), account),
        "\"OK AUTH " + account + "\" in reply to " + sent, r.wire());
  }

  private static String freshLoginName(CheckContext ctx, String hint) {
    return ctx.name(hint);
  }

  // ------------------------------------------------------------------ TLS

  static void tlsAndPlainOnOnePort(CheckContext ctx) {
    ConformanceSecurity security = ctx.run().options().security();
    if (!security.tls()) {
      throw CheckContext.skip("the suite runs over plain text; run it with --tls (and --ca FILE or --tls-insecure)");
    }
    greet(ctx); // TLS connection greeted: the handshake and the modern dialect inside it work.
    Peer plain = ctx.connectRaw(Dialect.MODERN, ConformanceSecurity.plainText());
    plain.send("HELLO obrol/1");
    Received r = plain.reply("HELLO obrol/1");
    require(r.message() instanceof Reply.HelloOk || errorOf(r) == ErrorCode.TLS_REQUIRED,
        "a plain-text connection on the same port answered in plain text: \"OK HELLO ...\", or \"ERR TLS_REQUIRED"
            + " ...\" from a server that requires TLS (TLS-3)", r.wire());
  }

  static void requireTls(CheckContext ctx) {
    Peer plain = ctx.connectRaw(Dialect.MODERN, ConformanceSecurity.plainText());
    plain.send("HELLO obrol/1");
    Received r = plain.reply("HELLO obrol/1");
    if (r.message() instanceof Reply.HelloOk) {
      throw CheckContext.skip("the server accepts plain-text connections from the suite's address (it does not require"
          + " TLS, or exempts loopback): nothing to check");
    }
    requireError(r, ErrorCode.TLS_REQUIRED, "\"HELLO obrol/1\\n\" on a plain-text connection");
    Received bye = plain.replyOrNull(ctx.timeouts().reply());
    require(bye != null && bye.message() instanceof Event.Bye && ((Event.Bye) bye.message()).code() == ErrorCode.TLS_REQUIRED,
        "\"BYE TLS_REQUIRED ...\" after the error", bye == null ? "nothing" : bye.wire());
    require(plain.wire().awaitClosedByPeer(ctx.timeouts().reply()), "the connection closed after the BYE",
        "it stayed open");
  }

  // ------------------------------------------------------------------ AUTH

  static void greetingAnnouncesMechanisms(CheckContext ctx) {
    Greeted g = greet(ctx);
    if (!g.capabilities().containsKey("auth")) {
      throw CheckContext.skip("the server's greeting has no auth capability: it does not authenticate"
          + (ctx.run().options().security().tls() ? "" : " on plain text (try --tls)"));
    }
    for (String mechanism : g.mechanisms()) {
      require(mechanism.matches("[A-Z0-9_-]{1,20}"), "auth= to list mechanism names (1 to 20 of A-Z 0-9 - _)",
          "auth=" + g.capabilities().get("auth"));
    }
    String authreq = g.capabilities().get("authreq");
    require(authreq == null || authreq.equals("1"), "authreq absent or authreq=1", "authreq=" + authreq);
    // The announced list is what is usable: a mechanism it does not list is refused as unsupported (AUTH-6).
    g.peer().send("AUTH NOSUCHMECH");
    requireError(g.peer().reply("AUTH NOSUCHMECH"), ErrorCode.AUTH_UNSUPPORTED, "\"AUTH NOSUCHMECH\\n\"");
  }

  static void plainSucceeds(CheckContext ctx) {
    Greeted g = greetWithPlain(ctx);
    ConformanceSecurity.Account account = checkingAccount(ctx);
    requireAuthOk(authPlain(ctx, g.peer(), account), account.name(), "AUTH PLAIN for " + account.name());
    // Authenticated but still anonymous (AUTH-4): LOGIN with the account's own name is accepted.
    g.peer().send("LOGIN " + account.name());
    Received login = g.peer().reply("LOGIN " + account.name());
    require(login.message() instanceof Reply.LoginOk, "\"OK LOGIN " + account.name() + "\" after OK AUTH", login.wire());
    g.peer().depart(); // QUIT, so that the next check can use the account's name at once
  }

  static void wrongPasswordRefused(CheckContext ctx) {
    Greeted g = greetWithPlain(ctx);
    ConformanceSecurity.Account account = checkingAccount(ctx);
    String wrong = account.password() + "-not-it";
    Received refused = authPlain(g.peer(), account.name(), wrong, failureWait(ctx));
    requireError(refused, ErrorCode.AUTH_FAILED, "AUTH PLAIN for " + account.name() + " with a wrong password");
    // AUTH-13 as far as the wire shows it: the text does not echo the password or the response.
    require(!textOf(refused).contains(wrong) && !textOf(refused).contains(plainLine(account.name(), wrong).substring(11)),
        "an error text without the password or the response", "the text repeats it");
    // An unknown account gets the same code and text (AUTH-5: the reply tells no one which accounts exist).
    String nobody = freshLoginName(ctx, "nobody");
    Received unknown = authPlain(g.peer(), nobody, "whatever", failureWait(ctx));
    requireError(unknown, ErrorCode.AUTH_FAILED, "AUTH PLAIN for the unknown account " + nobody);
    require(textOf(unknown).equals(textOf(refused)), "the same text for an unknown account as for a wrong password: "
        + refused.wire(), unknown.wire());
    // The connection stays open and anonymous.
    g.peer().send("PING after");
    Received ping = g.peer().reply("PING after");
    require(ping.message() instanceof Reply.PingOk, "\"OK PING after\": the connection stays open", ping.wire());
    g.peer().send("LIST");
    Received list = g.peer().reply("LIST");
    require(errorOf(list) == ErrorCode.NOT_LOGGED_IN, "\"ERR NOT_LOGGED_IN ...\" to LIST: still anonymous", list.wire());
  }

  static void unsupportedAndMalformed(CheckContext ctx) {
    Greeted g = greet(ctx);
    if (g.mechanisms().isEmpty()) {
      throw CheckContext.skip("the server announces no auth mechanism: it does not authenticate (AUTH-2)");
    }
    Peer p = g.peer();
    for (String[] c : new String[][] {{"AUTH NOSUCHMECH AAAA", "AUTH_UNSUPPORTED"}, {"AUTH + AAAA", "INVALID_COMMAND"},
        {"AUTH *", "INVALID_COMMAND"}, {"AUTH PLAIN", "INVALID_COMMAND"}}) {
      if (c[0].equals("AUTH PLAIN") && !g.mechanisms().contains("PLAIN")) {
        continue;
      }
      p.send(c[0]);
      requireError(p.reply(c[0]), ErrorCode.valueOf(c[1]), Escapes.literal(c[0] + "\n"));
    }
  }

  static void noSecondAuth(CheckContext ctx) {
    Greeted g = greetWithPlain(ctx);
    ConformanceSecurity.Account account = checkingAccount(ctx);
    requireAuthOk(authPlain(ctx, g.peer(), account), account.name(), "AUTH PLAIN for " + account.name());
    requireError(authPlain(ctx, g.peer(), account), ErrorCode.INVALID_COMMAND, "a second AUTH PLAIN after OK AUTH");
    g.peer().send("LOGIN " + account.name());
    Received login = g.peer().reply("LOGIN " + account.name());
    require(login.message() instanceof Reply.LoginOk, "\"OK LOGIN\"", login.wire());
    requireError(authPlain(ctx, g.peer(), account), ErrorCode.INVALID_COMMAND, "AUTH PLAIN after OK LOGIN");
    g.peer().depart();
  }

  static void plainRefusedOverPlainText(CheckContext ctx) {
    Greeted secure = greet(ctx);
    if (secure.mechanisms().isEmpty()) {
      throw CheckContext.skip("the server announces no auth mechanism: it does not authenticate (AUTH-2)");
    }
    secure.peer().close();
    Peer plain = ctx.connectRaw(Dialect.MODERN, ConformanceSecurity.plainText());
    plain.authenticatesItself();
    plain.send("HELLO obrol/1");
    Received hello = plain.reply("HELLO obrol/1");
    if (errorOf(hello) == ErrorCode.TLS_REQUIRED) {
      return; // The server takes no plain text at all (TLS-3): nothing can cross in clear text.
    }
    require(hello.message() instanceof Reply.HelloOk, "\"OK HELLO ...\" on a plain-text connection", hello.wire());
    String offered = ((Reply.HelloOk) hello.message()).capabilities().getOrDefault("auth", "");
    if (Arrays.asList(offered.split(",")).contains("PLAIN")) {
      throw CheckContext.skip("the server offers PLAIN on plain text (auth=" + offered + "): it is configured to allow"
          + " it, which AUTH-9 permits (the reference server's --allow-plain-auth)");
    }
    // Never a real password in clear text: a made-up one is enough, the refusal comes before any check.
    String line = plainLine(ctx.name("p"), "not-a-real-password");
    plain.send(line);
    requireError(plain.reply(line), ErrorCode.TLS_REQUIRED, "AUTH PLAIN on a plain-text connection");
  }

  static void loginNeedsAuthAndAllowedName(CheckContext ctx) {
    Greeted g = greet(ctx);
    if (g.mechanisms().isEmpty()) {
      throw CheckContext.skip("the server announces no auth mechanism: it does not authenticate (AUTH-2)");
    }
    if (g.authRequired()) {
      String anonymous = freshLoginName(ctx, "anon");
      g.peer().send("LOGIN " + anonymous);
      requireError(g.peer().reply("LOGIN " + anonymous), ErrorCode.AUTH_REQUIRED,
          "LOGIN before AUTH on a server that announces authreq=1");
    } else {
      ctx.transcript().note("#", "the server does not announce authreq=1: AUTH_REQUIRED is not checked");
    }
    if (!g.mechanisms().contains("PLAIN")) {
      throw CheckContext.skip("the server does not offer PLAIN here; the name check needs it");
    }
    ConformanceSecurity.Account account = checkingAccount(ctx);
    List<ConformanceSecurity.Account> all = ctx.run().options().security().accounts();
    if (all.size() < 2 && g.authRequired()) {
      throw new PreconditionFailure("a second --accounts entry for the NAME_NOT_ALLOWED check: on a server that"
          + " requires authentication the first account logs in the suite's generated names, so its name policy may"
          + " allow any name");
    }
    // A name the account may not use by default: the first account's (when checking with the second), or a
    // fresh name of the run.
    String other = all.size() > 1 ? all.get(0).name() : freshLoginName(ctx, "other");
    requireAuthOk(authPlain(ctx, g.peer(), account), account.name(), "AUTH PLAIN for " + account.name());
    g.peer().send("LOGIN " + other);
    requireError(g.peer().reply("LOGIN " + other), ErrorCode.NAME_NOT_ALLOWED,
        "LOGIN " + other + " after authenticating as " + account.name() + " (by default an account may use only its own"
            + " name)");
    String sameIgnoringCase = account.name().toUpperCase(java.util.Locale.ROOT);
    g.peer().send("LOGIN " + sameIgnoringCase);
    Received ok = g.peer().reply("LOGIN " + sameIgnoringCase);
    require(ok.message() instanceof Reply.LoginOk, "\"OK LOGIN " + sameIgnoringCase + "\": the account's own name,"
        + " ignoring ASCII case, and the connection stayed open after the refusal", ok.wire());
    g.peer().depart();
  }

  static void failuresThrottled(CheckContext ctx) {
    Greeted g = greetWithPlain(ctx);
    // An account that does not exist, unique to this run: its failures bother no real account. AUTH-11 counts
    // a failure against the account an exchange named, existing or not (otherwise replies would tell).
    String target = freshLoginName(ctx, "thr");
    Peer p = g.peer();
    for (int i = 1; i <= ACCOUNT_FAILURE_LIMIT; i++) {
      Received r = authPlain(p, target, "wrong-" + i, failureWait(ctx));
      if (errorOf(r) == ErrorCode.AUTH_THROTTLED) {
        ctx.transcript().note("#", "throttled after " + (i - 1) + " failures (a server MAY be stricter)");
        return;
      }
      requireError(r, ErrorCode.AUTH_FAILED, "wrong password " + i + " for " + target);
    }
    Received throttled = authPlain(p, target, "wrong-after", failureWait(ctx));
    requireError(throttled, ErrorCode.AUTH_THROTTLED, "AUTH for " + target + " after " + ACCOUNT_FAILURE_LIMIT
        + " failures");
    require(textOf(throttled).matches(".*\\d.*"), "an AUTH_THROTTLED text that says when to retry (a number of"
        + " seconds)", throttled.wire());
  }
}
