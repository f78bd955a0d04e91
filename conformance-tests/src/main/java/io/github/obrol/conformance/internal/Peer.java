package io.github.obrol.conformance.internal;

import io.github.obrol.protocol.Dialect;
import io.github.obrol.protocol.ErrorCode;
import io.github.obrol.protocol.Event;
import io.github.obrol.protocol.Names;
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

  /** Sends {@code line} plus LF, paced in the classic dialect. */
  public void send(String line) {
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

  private static boolean isReply(Received r) {
    return r.message() instanceof Reply || r.message() instanceof Event.Bye || r.message() == null;
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
          nothingWithin(ctx.timeouts().reply()));
    }
    return r;
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
        return r;
      }
      stash.add(r);
    }
  }

  /** "nothing within 1000 ms" or "the server closed the connection (...)". */
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
    if (dialect == Dialect.MODERN) {
      String token = "b" + (++barriers);
      sent = "PING " + token;
      done = r -> r.message() instanceof Reply.PingOk && ((Reply.PingOk) r.message()).token().equals(token);
    } else if (name != null) {
      sent = name + " says list";
      done = r -> r.message() instanceof Reply.UserList;
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
    before.addAll(relevantOf(seen));
    if (!answered) {
      if (dialect == Dialect.CLASSIC && name == null && ctx.run().answersAnonymousClassic() == null) {
        ctx.transcript().note(label(), "the server does not answer anonymous frames; later barriers wait "
            + ctx.timeouts().silence().toMillis() + " ms instead");
        ctx.run().answersAnonymousClassic(false);
        return before;
      }
      throw new CheckFailure("a reply to the barrier " + Escapes.literal(sent + "\n") + " on " + label()
          + " (GEN-ORDER-3)", nothingWithin(timeout));
    }
    if (dialect == Dialect.CLASSIC && name == null) {
      ctx.run().answersAnonymousClassic(true);
    }
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

  /**
   * Logs in as {@code wanted}; returns the refusal's error code, or empty if the login succeeded. Classic
   * logins have no reply on success (CL-LOGIN-2), so a {@code list} follows the login frame and its
   * answer decides.
   */
  public Optional<ErrorCode> login(String wanted) {
    if (dialect == Dialect.MODERN) {
      String sent = "LOGIN " + wanted;
      send(sent);
      Received r = reply(sent);
      if (r.message() instanceof Reply.LoginOk) {
        name = ((Reply.LoginOk) r.message()).name();
        return Optional.empty();
      }
      return Optional.of(errorCode(r, sent));
    }
    String sent = wanted + " says " + wanted;
    boolean wasAnonymous = name == null;
    send(sent);
    String listLine = (wasAnonymous ? wanted : name) + " says list";
    send(listLine);
    Received r = reply(sent);
    if (r.message() instanceof Reply.UserList) {
      if (wasAnonymous) {
        name = wanted;
      }
      return Optional.empty();
    }
    ErrorCode code = errorCode(r, sent);
    // The list after a refused login is answered with "not logged in" (or not at all by the original).
    if (wasAnonymous && !Boolean.FALSE.equals(ctx.run().answersAnonymousClassic())) {
      Received second = replyOrNull(ctx.timeouts().reply());
      if (second == null && ctx.run().answersAnonymousClassic() == null) {
        ctx.run().answersAnonymousClassic(false);
      }
    } else if (!wasAnonymous) {
      replyOrNull(ctx.timeouts().reply());
    }
    return Optional.of(code);
  }

  /** Logs in as {@code wanted} and fails the check if the server refuses. */
  public Peer loginOk(String wanted) {
    Optional<ErrorCode> refused = login(wanted);
    if (refused.isPresent()) {
      throw new CheckFailure("the login of the fresh valid name \"" + wanted + "\" on " + label() + " to succeed",
          "it was refused with " + refused.get());
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
      throw new CheckFailure(expected, nothingWithin(ctx.timeouts().reply()));
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
        : Escapes.literal("\r" + code.classicText() + "\n") + (code.classicDetailAllowed() ? " (a detail may follow)" : "");
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
    return Names.key(a).equals(Names.key(b));
  }
}
