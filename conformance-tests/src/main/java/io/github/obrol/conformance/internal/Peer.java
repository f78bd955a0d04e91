package io.github.obrol.conformance.internal;

import io.github.obrol.protocol.Dialect;
import io.github.obrol.protocol.ErrorCode;
import io.github.obrol.protocol.Event;
import io.github.obrol.protocol.Reply;
import io.github.obrol.protocol.ServerMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * One client of a check, speaking one dialect, with the operations checks are written in: log in, list,
 * send, and the in-band barrier ({@link #barrier()}) that replaces sleeps. Only frames about the check's
 * own users (and replies, which are always its own) are looked at, so other users of a shared server are
 * ignored.
 */
public final class Peer implements AutoCloseable {
  private final CheckContext ctx;
  private final WireClient wire;
  private final Dialect dialect;
  private final List<Received> stash = new ArrayList<>();
  private String name;
  /** The greeting's capabilities (modern, after {@link CheckContext#connect}); empty before or without one. */
  private java.util.Map<String, String> capabilities = java.util.Map.of();
  /** Whether this connection authenticated (AUTH-4) for its logins. */
  private boolean authenticated;
  /** Whether the check does this connection's AUTH itself (the AUTH checks): no automatic AUTH before LOGIN. */
  private boolean manualAuth;
  /** {@code OK AUTH} replies to pipelined logins' AUTH that {@link #replyOrNull} passes over. */
  private int authRepliesToSkip;
  private String claim;
  private int barriers;

  Peer(CheckContext ctx, WireClient wire, Dialect dialect) {
    this.ctx = ctx;
    this.wire = wire;
    this.dialect = dialect;
  }

  public String label() {
    return wire.label();
  }

  /** The label and the user's name, for messages: {@code B (t1abc-b)} or {@code A (anonymous)}. */
  public String who() {
    return label() + " (" + (name != null ? name : "anonymous") + ")";
  }

  public Dialect dialect() {
    return dialect;
  }

  public WireClient wire() {
    return wire;
  }

  /** The name this client logged in with, or null while anonymous. */
  public String name() {
    return name;
  }

  /** Marks this client logged in as {@code name} without a login round (for checks that log in by hand). */
  public void assumeLoggedIn(String name) {
    this.name = name;
  }

  /** The name a classic frame of this client claims: its own, or a placeholder while anonymous. */
  public String claim() {
    return name != null ? name : claim != null ? claim : ctx.name("anon");
  }

  /** Sets the name this anonymous classic client claims in its frames. */
  public Peer claiming(String claimed) {
    this.claim = claimed;
    return this;
  }

  // ---------------------------------------------------------------- sending

  /**
   * Sends {@code line} plus LF, paced in the classic dialect. A modern {@code LOGIN} on a connection that must
   * authenticate first and has not (no greeting, say) is preceded by {@code AUTH PLAIN} as the first account,
   * whose {@code OK AUTH} the replies then skip.
   */
  public void send(String line) {
    if (dialect == Dialect.MODERN && line.startsWith("LOGIN ") && !authenticated && !manualAuth && name == null
        && authRequiredHere() && !ctx.run().options().security().accounts().isEmpty()) {
      sendAuth(loginAccount("a login"));
      authenticated = true;
      authRepliesToSkip++;
    }
    wire.send(line + "\n");
  }

  /** Sends raw bytes in one write, paced. */
  public void sendRaw(byte[] bytes) {
    wire.send(bytes);
  }

  /** The line for this dialect: {@code modern} as is, or {@code "<claim> says <classicBody>"}. */
  public String line(String modern, String classicBody) {
    return dialect == Dialect.MODERN ? modern : claim() + " says " + classicBody;
  }

  /** Sends {@link #line(String, String)} plus LF; returns the line sent. */
  public String sendFrame(String modern, String classicBody) {
    String line = line(modern, classicBody);
    send(line);
    return line;
  }

  // ---------------------------------------------------------------- receiving

  /** Whether a frame concerns this check: a reply, a fatal error, an undecodable frame, or an event about its users. */
  public boolean relevant(Received r) {
    ServerMessage m = r.message();
    if (m == null || m instanceof Reply || m instanceof Event.Bye) {
      return true;
    }
    if (m instanceof Event.Message) {
      return ctx.isOwn(((Event.Message) m).from());
    }
    if (m instanceof Event.UserJoined) {
      return ctx.isOwn(((Event.UserJoined) m).name());
    }
    if (m instanceof Event.UserLeft) {
      return ctx.isOwn(((Event.UserLeft) m).name());
    }
    return false;
  }

  /** A recognised reply or fatal error; an unrecognised frame is recorded but never taken as a reply. */
  private static boolean isReply(Received r) {
    return r.message() instanceof Reply || r.message() instanceof Event.Bye;
  }

  /**
   * The next reply (or fatal error, or undecodable frame) to {@code sent}; events before it are kept for
   * the next {@link #barrier()}.
   *
   * @throws CheckFailure if none arrives within the reply timeout
   */
  public Received reply(String sent) {
    Received r = replyOrNull(ctx.timeouts().reply());
    if (r == null) {
      throw new CheckFailure("a reply to " + Escapes.literal(sent + "\n") + " on " + label(),
          nothingWithin(ctx.timeouts().reply()) + unrecognisedSoFar());
    }
    return r;
  }

  /** {@code "; unrecognised frames: [...]"} for the frames kept that the suite could not parse, or "". */
  public String unrecognisedSoFar() {
    List<Received> odd = stash.stream().filter(r -> r.message() == null).collect(Collectors.toList());
    return odd.isEmpty() ? "" : " (the server sent frames the suite does not recognise: " + odd + ")";
  }

  /** The next reply within {@code timeout}, or null; events before it are kept for the next barrier. */
  public Received replyOrNull(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      Received r = wire.next(Duration.ofNanos(Math.max(0, left)));
      if (r == null) {
        return null;
      }
      if (!relevant(r)) {
        continue;
      }
      if (isReply(r)) {
        if (authRepliesToSkip > 0 && r.message() instanceof Reply.AuthOk) {
          authRepliesToSkip--;
          continue;
        }
        return r;
      }
      stash.add(r);
    }
  }

  /** The exactly-once settle time of the run. */
  public Duration settle() {
    return ctx.timeouts().settle();
  }

  /** "nothing within 1000 ms" or "the connection ended: ...". */
  public String nothingWithin(Duration d) {
    String closed = wire.closeCause();
    return closed != null
        ? "nothing; the connection ended: " + closed
        : "nothing within " + d.toMillis() + " ms";
  }

  /**
   * An in-band barrier (GEN-ORDER-3): sends a request and waits for its reply, then returns every relevant
   * frame that arrived before it (and was not consumed), in order. Modern: {@code PING}; classic:
   * {@code list} (answered with {@code not logged in} on an anonymous connection).
   */
  public List<Received> barrier() {
    return barrier(0);
  }

  /**
   * A barrier on a connection that still owes {@code pendingReplies} replies of the same kind as the
   * barrier's own (a classic {@code list} or an anonymous classic frame, whose answers carry no
   * correlation): waits for that many more before taking the barrier's reply.
   */
  public List<Received> barrier(int pendingReplies) {
    List<Received> before = new ArrayList<>(stash);
    stash.clear();
    if (wire.closedByPeer()) {
      before.addAll(relevantOf(wire.drain()));
      return before;
    }
    String sent;
    Predicate<Received> done;
    Duration timeout = ctx.timeouts().reply();
    String means;
    if (dialect == Dialect.MODERN) {
      String token = "b" + (++barriers);
      sent = "PING " + token;
      done = r -> r.message() instanceof Reply.PingOk && ((Reply.PingOk) r.message()).token().equals(token);
      means = "PING";
    } else if (name != null && Boolean.FALSE.equals(ctx.run().listAnswered())) {
      return selfMessageBarrier(before);
    } else if (name != null) {
      sent = name + " says list";
      done = r -> r.message() instanceof Reply.UserList;
      means = "list";
    } else {
      Boolean answers = ctx.run().answersAnonymousClassic();
      if (Boolean.FALSE.equals(answers)) {
        // The server ignores anonymous frames (the original): fall back to a quiet wait.
        List<Received> seen = wire.until(r -> false, ctx.timeouts().silence());
        before.addAll(relevantOf(seen));
        return before;
      }
      sent = claim() + " says list";
      done = r -> r.message() instanceof Reply.Error || r.message() instanceof Reply.UserList;
      means = "anonymous list";
    }
    send(sent);
    int needed = dialect == Dialect.MODERN ? 1 : pendingReplies + 1;
    int matched = 0;
    List<Received> seen = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (matched < needed) {
      Received r = wire.next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      if (r == null) {
        break;
      }
      seen.add(r);
      if (done.test(r)) {
        matched++;
      } else if (means.equals("list") && pendingReplies == 0 && Expect.anyError().test(r)
          && !Boolean.TRUE.equals(ctx.run().listAnswered())) {
        break; // the list is refused on this server: use another barrier below
      }
    }
    // The last matching frame is the barrier's own reply (if fewer arrived than owed, the server sent
    // fewer replies than the check expects, which the caller's comparison reports).
    boolean answered = false;
    for (int i = seen.size() - 1; i >= 0 && matched > 0; i--) {
      if (done.test(seen.get(i))) {
        seen.remove(i);
        answered = true;
        break;
      }
    }
    if (!answered && means.equals("list") && pendingReplies == 0 && !Boolean.TRUE.equals(ctx.run().listAnswered())) {
      ctx.transcript().note(label(), "the list barrier got no user list (" + seen + "); barriers use a private"
          + " message to oneself instead");
      ctx.run().listAnswered(false);
      before.addAll(relevantOf(seen.stream().filter(r -> !Expect.anyError().test(r)).collect(Collectors.toList())));
      return selfMessageBarrier(before);
    }
    before.addAll(relevantOf(seen));
    if (!answered) {
      if (dialect == Dialect.CLASSIC && name == null && ctx.run().answersAnonymousClassic() == null) {
        ctx.transcript().note(label(), "the server does not answer anonymous frames; later barriers wait "
            + ctx.timeouts().silence().toMillis() + " ms instead");
        ctx.run().answersAnonymousClassic(false);
        return before;
      }
      throw new PreconditionFailure("a reply to the barrier " + Escapes.literal(sent + "\n") + " on " + label()
          + " (GEN-ORDER-3); got " + nothingWithin(timeout) + (seen.isEmpty() ? "" : ", frames " + seen));
    }
    if (means.equals("list")) {
      ctx.run().listAnswered(true);
    }
    ctx.run().confirmedBy("barrier by " + means);
    if (dialect == Dialect.CLASSIC && name == null) {
      ctx.run().answersAnonymousClassic(true);
    }
    return before;
  }

  /**
   * A classic barrier for servers whose list does not work: a private message to oneself (GEN-DELIVER-2
   * allows it), whose arrival shows that everything before it was processed (GEN-ORDER-3).
   */
  private List<Received> selfMessageBarrier(List<Received> before) {
    String token = "sync" + (++barriers);
    String sent = name + " says sendto " + name + " " + token;
    send(sent);
    Predicate<Received> done = r -> r.message() instanceof Event.Message
        && sameName(((Event.Message) r.message()).from(), name) && ((Event.Message) r.message()).text().equals(token);
    List<Received> seen = wire.until(done, ctx.timeouts().reply());
    if (seen.isEmpty() || !done.test(seen.get(seen.size() - 1))) {
      before.addAll(relevantOf(seen));
      throw new PreconditionFailure("a barrier on " + label() + ": neither a list nor the private message "
          + Escapes.literal(sent + "\n") + " to itself was answered; got " + nothingWithin(ctx.timeouts().reply())
          + (seen.isEmpty() ? "" : ", frames " + seen));
    }
    seen.remove(seen.size() - 1);
    before.addAll(relevantOf(seen));
    ctx.run().confirmedBy("barrier by private message to oneself");
    return before;
  }

  /** Takes the events kept while waiting for replies, without a barrier. */
  public List<Received> barrierStash() {
    List<Received> kept = new ArrayList<>(stash);
    stash.clear();
    return kept;
  }

  private List<Received> relevantOf(List<Received> frames) {
    return frames.stream().filter(this::relevant).collect(Collectors.toList());
  }

  /** Events (messages, joins, leaves) among {@code frames}. */
  public static List<Received> events(List<Received> frames) {
    return frames.stream().filter(r -> r.message() instanceof Event && !(r.message() instanceof Event.Bye))
        .collect(Collectors.toList());
  }

  // ---------------------------------------------------------------- commands

  /** Records the capabilities of this connection's {@code OK HELLO}. */
  void greeted(java.util.Map<String, String> capabilities) {
    this.capabilities = capabilities;
  }

  /** This connection's AUTH is the check's business (AUTH checks): the suite adds none before its LOGIN. */
  void authenticatesItself() {
    manualAuth = true;
  }

  /** Whether this connection must authenticate before LOGIN: its greeting says authreq=1 (else what the run saw). */
  private boolean authRequiredHere() {
    return capabilities.isEmpty() ? ctx.run().authRequired() : "1".equals(capabilities.get("authreq"));
  }

  /** The first {@code --accounts} entry, which logs in the suite's generated names, or INCONCLUSIVE. */
  private io.github.obrol.conformance.ConformanceSecurity.Account loginAccount(String why) {
    java.util.List<io.github.obrol.conformance.ConformanceSecurity.Account> accounts =
        ctx.run().options().security().accounts();
    String offered = capabilities.getOrDefault("auth", "PLAIN");
    if (accounts.isEmpty() || !java.util.Arrays.asList(offered.split(",")).contains("PLAIN")) {
      throw new PreconditionFailure(why + " on " + label() + ": the server requires authentication (authreq=1)"
          + (accounts.isEmpty() ? " and no --accounts FILE was given (its first account must be allowed to use the"
          + " suite's generated names)" : " and does not offer PLAIN here (auth=" + offered + "; use --tls)"));
    }
    return accounts.get(0);
  }

  private void sendAuth(io.github.obrol.conformance.ConformanceSecurity.Account account) {
    wire.sendSecret(AuthChecks.plainLine(account.name(), account.password()),
        "AUTH PLAIN <base64 of NUL " + account.name() + " NUL (password hidden)>");
  }

  /**
   * On a server that requires authentication ({@code authreq=1}, AUTH-10), logs this freshly greeted
   * connection in with the first {@code --accounts} entry, waiting for {@code OK AUTH}, so that the suite's
   * generated names can log in (the account's name policy must allow them). Without an account: INCONCLUSIVE.
   */
  void authenticateIfRequired() {
    if (authenticated || manualAuth || name != null || !authRequiredHere()) {
      return;
    }
    io.github.obrol.conformance.ConformanceSecurity.Account account = loginAccount("a login");
    sendAuth(account);
    Received r = replyOrNull(ctx.timeouts().reply().plusSeconds(5));
    if (r == null || !(r.message() instanceof Reply.AuthOk)) {
      throw new PreconditionFailure("AUTH PLAIN as the first --accounts entry, " + account.name() + ", on " + label()
          + " to be answered OK AUTH; got " + (r == null ? "nothing" : r.wire()));
    }
    authenticated = true;
  }

  /** Refusal codes of a login (GEN-NAME-1/4, CL-LOGIN-3, MD-LOGIN-2). */
  private static final List<ErrorCode> REFUSALS = List.of(ErrorCode.NAME_TAKEN, ErrorCode.INVALID_NAME,
      ErrorCode.ALREADY_LOGGED_IN, ErrorCode.LOGIN_REJECTED, ErrorCode.NAME_MISMATCH, ErrorCode.SERVER_FULL);

  /** How a login attempt ended. */
  private record LoginAttempt(boolean accepted, ErrorCode code, Received refusal, String evidence) {}

  /**
   * Logs in as {@code wanted}; returns the refusal's error code, or empty if the login succeeded. A classic
   * login has no reply on success (CL-LOGIN-2), so it is confirmed by more than one means, in this order: a
   * {@code list} that shows the name, a private message to oneself that arrives, the join notice seen by
   * another logged-in client of the check; the transcript and the report say which worked.
   *
   * @throws CheckFailure if the login was answered with a frame the suite does not recognise and did not
   *     take effect (a refusal in another text: CL-ERROR-1 judges the text)
   * @throws PreconditionFailure if neither success nor a refusal could be established
   */
  public Optional<ErrorCode> login(String wanted) {
    LoginAttempt a = attempt(wanted);
    if (a.accepted()) {
      return Optional.empty();
    }
    if (a.code() != null) {
      return Optional.of(a.code());
    }
    if (a.refusal() != null) {
      throw new CheckFailure("the login of \"" + wanted + "\" on " + label() + " to be accepted, or refused with a"
          + " documented error", "it was answered with " + a.refusal().wire() + ", a frame the suite does not recognise,"
          + " and did not take effect (" + a.evidence() + ")");
    }
    throw new PreconditionFailure("a confirmed outcome of the login of \"" + wanted + "\" on " + label() + ": "
        + a.evidence());
  }

  /**
   * Logs in as {@code wanted}, which the check expects to be refused with {@code expected}. A refusal in a
   * frame the suite does not recognise (another text, PROTOCOL.md 5.6 CL-VARIANT-3) counts as that refusal
   * and is noted as a variant: the check then ends NON_STRICT at best; CL-ERROR-1 judges the text.
   *
   * @return the refusal's code ({@code expected} for a variant refusal), or empty if the login succeeded
   */
  public Optional<ErrorCode> loginRefused(String wanted, ErrorCode expected) {
    LoginAttempt a = attempt(wanted);
    if (a.accepted()) {
      return Optional.empty();
    }
    if (a.code() != null) {
      return Optional.of(a.code());
    }
    if (a.refusal() != null) {
      ctx.variant("the login of \"" + wanted + "\" was refused (it did not take effect: " + a.evidence() + ") with "
          + a.refusal().wire() + " instead of " + describeError(expected) + " (CL-VARIANT-3; CL-ERROR-1 judges the text)");
      return Optional.of(expected);
    }
    throw new CheckFailure("the login of \"" + wanted + "\" on " + label() + " to be refused with "
        + describeError(expected), "no refusal, and its success could not be confirmed either: " + a.evidence());
  }

  private LoginAttempt attempt(String wanted) {
    if (dialect == Dialect.MODERN) {
      String sent = "LOGIN " + wanted;
      send(sent);
      Received r = replyOrNull(ctx.timeouts().reply());
      if (r != null && r.message() instanceof Reply.LoginOk) {
        name = ((Reply.LoginOk) r.message()).name();
        ctx.run().confirmedBy("login by OK LOGIN");
        return new LoginAttempt(true, null, null, "OK LOGIN");
      }
      if (r != null && Expect.anyError().test(r)) {
        return new LoginAttempt(false, errorCode(r, sent), r, "");
      }
      Received odd = stash.stream().filter(x -> x.message() == null).findFirst().orElse(null);
      return new LoginAttempt(false, null, odd, r == null ? nothingWithin(ctx.timeouts().reply()) + unrecognisedSoFar()
          : "the reply was " + r.wire());
    }
    boolean wasAnonymous = name == null;
    String asName = wasAnonymous ? wanted : name;
    // Answers still owed to earlier requests (an earlier attempt that stopped at its refusal) must not be
    // taken for this login's: consume what arrived so far (events are kept for the next barrier).
    stash.addAll(relevantOf(wire.drain().stream().filter(x -> !isReply(x)).collect(Collectors.toList())));
    int mark = wire.receivedCount();
    String sent = wanted + " says " + wanted;
    send(sent);
    List<String> evidence = new ArrayList<>();
    // 1. a list that shows the name.
    if (!Boolean.FALSE.equals(ctx.run().listAnswered())) {
      send(asName + " says list");
      Received r = replyOrNull(ctx.timeouts().reply());
      if (r != null && r.message() instanceof Reply.UserList) {
        ctx.run().listAnswered(true);
        boolean shown = ((Reply.UserList) r.message()).names().stream().anyMatch(n -> sameName(n, wanted));
        if (!wasAnonymous || shown) {
          return accepted(wanted, wasAnonymous, "list");
        }
        evidence.add("the list does not show it: " + r.wire());
      } else if (r != null && Expect.anyError().test(r)) {
        ErrorCode code = errorCode(r, sent);
        if (REFUSALS.contains(code)) {
          // The list after a refused login is answered too (not logged in), or not at all by the original.
          if (wasAnonymous && !Boolean.FALSE.equals(ctx.run().answersAnonymousClassic())) {
            Received second = replyOrNull(ctx.timeouts().reply());
            if (second == null && ctx.run().answersAnonymousClassic() == null) {
              ctx.run().answersAnonymousClassic(false);
            }
          } else if (!wasAnonymous) {
            replyOrNull(ctx.timeouts().reply());
          }
          return new LoginAttempt(false, code, r, "");
        }
        evidence.add("the list was answered with " + r.wire());
      } else {
        evidence.add("the list was answered with " + (r == null ? nothingWithin(ctx.timeouts().reply()) : r.wire()));
      }
    }
    // 2. a private message to oneself.
    String token = "login" + (++barriers);
    send(asName + " says sendto " + asName + " " + token);
    Predicate<Received> self = r -> r.message() instanceof Event.Message
        && sameName(((Event.Message) r.message()).from(), asName) && ((Event.Message) r.message()).text().equals(token);
    // Stops early at a refusal of the login, which arrives before the answer to the private message.
    List<Received> seen = wire.until(r -> self.test(r) || isRefusal(r), ctx.timeouts().reply());
    Received refusal = firstRefusalSince(mark);
    if (refusal != null) {
      stash.addAll(relevantOf(seen.stream().filter(x -> !Expect.anyError().test(x) && !self.test(x))
          .collect(Collectors.toList())));
      return new LoginAttempt(false, errorCode(refusal, sent), refusal, "");
    }
    if (!seen.isEmpty() && self.test(seen.get(seen.size() - 1))) {
      seen.remove(seen.size() - 1);
      stash.addAll(relevantOf(seen.stream().filter(x -> !Expect.anyError().test(x)).collect(Collectors.toList())));
      return accepted(wanted, wasAnonymous, "private message to oneself");
    }
    stash.addAll(relevantOf(seen.stream().filter(x -> !Expect.anyError().test(x)).collect(Collectors.toList())));
    evidence.add("the private message to itself did not arrive");
    // 3. the join notice seen by another logged-in client of this check.
    if (wasAnonymous) {
      for (Peer other : ctx.peers()) {
        if (other != this && other.name() != null
            && other.wire().history().stream().anyMatch(Expect.join(wanted))) {
          return accepted(wanted, true, "join notice seen by " + other.label());
        }
      }
      evidence.add("no other client of the check saw its join notice");
    }
    List<Received> after = wire.history();
    Received odd = after.subList(Math.min(mark, after.size()), after.size()).stream()
        .filter(x -> x.message() == null).findFirst().orElse(null);
    ctx.transcript().note(label(), "the login of " + wanted + " is not confirmed: " + String.join("; ", evidence));
    return new LoginAttempt(false, null, odd, String.join("; ", evidence));
  }

  /** The first login refusal (a recognised error of {@link #REFUSALS}) received since frame {@code mark}. */
  private Received firstRefusalSince(int mark) {
    List<Received> h = wire.history();
    return h.subList(Math.min(mark, h.size()), h.size()).stream().filter(Peer::isRefusal).findFirst().orElse(null);
  }

  private static boolean isRefusal(Received x) {
    return (x.message() instanceof Reply.Error && REFUSALS.contains(((Reply.Error) x.message()).code()))
        || (x.message() instanceof Event.Bye && REFUSALS.contains(((Event.Bye) x.message()).code()));
  }

  private LoginAttempt accepted(String wanted, boolean wasAnonymous, String means) {
    if (wasAnonymous) {
      name = wanted;
    }
    ctx.transcript().note(label(), "login of " + wanted + " confirmed by " + means);
    ctx.run().confirmedBy("login by " + means);
    return new LoginAttempt(true, null, null, means);
  }

  /** Logs in as {@code wanted}; a login that is refused or cannot be confirmed leaves the check INCONCLUSIVE. */
  public Peer loginOk(String wanted) {
    Optional<ErrorCode> refused;
    try {
      refused = login(wanted);
    } catch (CheckFailure f) {
      throw new PreconditionFailure("the login of the fresh valid name \"" + wanted + "\" on " + label()
          + " to succeed; " + f.actual());
    }
    if (refused.isPresent()) {
      throw new PreconditionFailure("the login of the fresh valid name \"" + wanted + "\" on " + label()
          + " to succeed; it was refused with " + refused.get());
    }
    return this;
  }

  /** The error code of reply {@code r}, failing if it is not an error. */
  public ErrorCode errorCode(Received r, String sent) {
    ServerMessage m = r.message();
    if (m instanceof Reply.Error) {
      return ((Reply.Error) m).code();
    }
    if (m instanceof Event.Bye) {
      return ((Event.Bye) m).code();
    }
    throw new CheckFailure("an error reply to " + Escapes.literal(sent + "\n"), "" + r.wire());
  }

  /**
   * Sends {@code line} and expects an error with {@code code} as its reply (in the classic dialect the
   * first reply that arrives).
   */
  public Received expectError(String line, ErrorCode code) {
    send(line);
    return expectErrorReply(line, code);
  }

  /** Expects the next reply to be an error with {@code code}. */
  public Received expectErrorReply(String sent, ErrorCode code) {
    Received r = replyOrNull(ctx.timeouts().reply());
    String expected = describeError(code) + " in reply to " + Escapes.literal(sent + "\n") + " on " + label();
    if (r == null) {
      throw new CheckFailure(expected, nothingWithin(ctx.timeouts().reply()) + unrecognisedSoFar());
    }
    ServerMessage m = r.message();
    ErrorCode got = m instanceof Reply.Error ? ((Reply.Error) m).code()
        : m instanceof Event.Bye ? ((Event.Bye) m).code() : null;
    if (got != code) {
      throw new CheckFailure(expected, r.wire());
    }
    return r;
  }

  /** How an error with {@code code} looks in this dialect, for messages. */
  public String describeError(ErrorCode code) {
    return dialect == Dialect.MODERN
        ? "\"ERR " + code + " ...\""
        : Escapes.literal("\r" + WireTables.classicText(code) + "\n") + (WireTables.classicDetailAllowed(code) ? " (a detail may follow)" : "");
  }

  /** Sends a broadcast; in the modern dialect expects {@code OK SEND}. */
  public void sendAll(String text) {
    String sent = sendFrame("SEND " + text, "sendall " + text);
    if (dialect == Dialect.MODERN) {
      expectReply(sent, Reply.SendAllOk.class, "\"OK SEND\"");
    }
  }

  /** Sends a private message; in the modern dialect expects {@code OK SENDTO}. Returns the reply or null. */
  public Received sendTo(String to, String text) {
    String sent = sendFrame("SENDTO " + to + " " + text, "sendto " + to + " " + text);
    if (dialect == Dialect.MODERN) {
      return expectReply(sent, Reply.SendToOk.class, "\"OK SENDTO " + to + "\"");
    }
    return null;
  }

  /** Expects the next reply to be of {@code type}. */
  public Received expectReply(String sent, Class<? extends ServerMessage> type, String describe) {
    Received r = reply(sent);
    if (!type.isInstance(r.message())) {
      throw new CheckFailure(describe + " in reply to " + Escapes.literal(sent + "\n") + " on " + label(), r.wire());
    }
    return r;
  }

  /** The user list, with every name (also other users of a shared server). */
  public Reply.UserList list() {
    String sent = line("LIST", "list");
    send(sent);
    Received r = reply(sent);
    if (!(r.message() instanceof Reply.UserList)) {
      throw new CheckFailure("a user list in reply to " + Escapes.literal(sent + "\n") + " on " + label(), r.wire());
    }
    return (Reply.UserList) r.message();
  }

  /** The user list restricted to this check's own users, in the server's order. */
  public List<String> ownUsers() {
    return list().names().stream().filter(ctx::isOwn).collect(Collectors.toList());
  }

  /** Departs: {@code QUIT} (expecting {@code OK QUIT}) in the modern dialect, closing the socket in the classic one. */
  public void depart() {
    if (dialect == Dialect.MODERN) {
      send("QUIT");
      expectReply("QUIT", Reply.QuitOk.class, "\"OK QUIT\"");
      wire.awaitClosedByPeer(ctx.timeouts().reply());
    }
    wire.close();
  }

  /** Closes the connection. */
  @Override
  public void close() {
    wire.close();
  }

  /** The bytes of {@code s} in UTF-8. */
  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Whether {@code a} and {@code b} are the same name ignoring ASCII case (GEN-NAME-2). */
  public static boolean sameName(String a, String b) {
    return WireTables.key(a).equals(WireTables.key(b));
  }
}
