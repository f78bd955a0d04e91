package io.github.obrol.conformance.internal;

import io.github.obrol.conformance.Verdict;
import io.github.obrol.protocol.Dialect;
import io.github.obrol.protocol.Reply;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What one check works with: its transcript, its name prefix (so it judges only its own users), and
 * factories for clients. Closes every client it opened when the check ends.
 */
public final class CheckContext implements AutoCloseable {
  private final RunContext run;
  private final Transcript transcript = new Transcript();
  private final String prefix;
  private final List<Peer> peers = new ArrayList<>();
  private final List<String> variants = new ArrayList<>();
  private int labels;

  public CheckContext(RunContext run) {
    this.run = run;
    this.prefix = run.nextCheckPrefix();
  }

  public RunContext run() {
    return run;
  }

  public Transcript transcript() {
    return transcript;
  }

  public Timeouts timeouts() {
    return run.timeouts();
  }

  /** The dialect selected for the run. */
  public Dialect dialect() {
    return run.options().dialect();
  }

  /** The server's maximum line length: announced in the modern greeting, else as configured. */
  public int maxLineLength() {
    return run.maxLineLength();
  }

  /** A name of this check: {@code <prefix>-<hint>}, at most 32 characters. */
  public String name(String hint) {
    String n = prefix + "-" + hint;
    if (n.length() > 32) {
      throw new IllegalArgumentException("name: " + n + " (expected: at most 32 characters; shorten the hint)");
    }
    return n;
  }

  /** The prefix of this check's names, separator included. */
  public String namePrefix() {
    return prefix + "-";
  }

  /** Whether {@code name} belongs to this check (ignoring case, GEN-NAME-2). */
  public boolean isOwn(String name) {
    return WireTables.key(name).startsWith(WireTables.key(prefix + "-"));
  }

  /** Connects a client of the run's dialect; a modern client sends {@code HELLO} first (MD-HELLO-1). */
  public Peer connect() {
    return connect(dialect());
  }

  /** Connects a client of {@code dialect}; a modern client sends {@code HELLO} first. */
  public Peer connect(Dialect dialect) {
    Peer p = connectRaw(dialect);
    if (dialect == Dialect.MODERN) {
      p.send("HELLO obrol/1");
      Received r = p.reply("HELLO obrol/1");
      if (r.message() instanceof Reply.HelloOk) {
        p.greeted(((Reply.HelloOk) r.message()).capabilities());
        if ("1".equals(((Reply.HelloOk) r.message()).capabilities().get("authreq"))) {
          run.authRequired(true);
        }
        long maxline = ((Reply.HelloOk) r.message()).capabilityAsLong("maxline", -1);
        if (maxline > 0 && maxline < Integer.MAX_VALUE) {
          run.maxLineLength((int) maxline);
        }
      }
    }
    if (dialect == Dialect.MODERN) {
      p.authenticateIfRequired(); // AUTH-10: before its LOGIN, where the server requires it
    }
    return p;
  }

  /** Connects a client of {@code dialect} that sends nothing yet. */
  public Peer connectRaw(Dialect dialect) {
    return connectRaw(dialect, run.options().security());
  }

  /** Connects a client of {@code dialect} over the transport {@code security} says, sending nothing yet. */
  public Peer connectRaw(Dialect dialect, io.github.obrol.conformance.ConformanceSecurity security) {
    String label = labelFor(labels++);
    try {
      WireClient wire = WireClient.connect(run.address(), label, dialect, transcript,
          run.options().connectTimeout(), timeouts().listSettle(), security);
      if (dialect == Dialect.CLASSIC) {
        wire.frameGap(run.options().frameGap());
      }
      Peer p = new Peer(this, wire, dialect);
      peers.add(p);
      return p;
    } catch (IOException e) {
      throw new CheckOutcome(Verdict.ERROR, "could not connect client " + label + " to "
          + run.address() + ": " + e);
    }
  }

  /** Connects a client and logs it in with the fresh name {@code name(hint)}. */
  public Peer user(String hint) {
    return connect().loginOk(name(hint));
  }

  /** Connects a client of {@code dialect} and logs it in with {@code name(hint)}. */
  public Peer user(String hint, Dialect dialect) {
    return connect(dialect).loginOk(name(hint));
  }

  /** Runs a barrier on every peer that is still connected and logged in, discarding what arrived. */
  public void settle(Peer... ps) {
    for (Peer p : ps) {
      p.barrier();
    }
  }

  /** The clients this check connected so far. */
  public List<Peer> peers() {
    return new ArrayList<>(peers);
  }

  /** Notes a tolerated variant (PROTOCOL.md 5.6): a check that otherwise passes ends NON_STRICT with these notes. */
  public void variant(String note) {
    transcript.note("#", "variant: " + note);
    variants.add(note);
  }

  /** The variants noted so far. */
  public List<String> variants() {
    return new ArrayList<>(variants);
  }

  /** Ends the check as SKIPPED with this reason. */
  public static CheckOutcome skip(String reason) {
    return new CheckOutcome(Verdict.SKIPPED, reason);
  }

  /** Ends the check as NON_STRICT (an accepted variant, or a SHOULD not met) with this reason. */
  public static CheckOutcome nonStrict(String reason) {
    return new CheckOutcome(Verdict.NON_STRICT, reason);
  }

  /** Fails unless {@code condition}. */
  public static void require(boolean condition, String expected, String actual) {
    if (!condition) {
      throw new CheckFailure(expected, actual);
    }
  }

  /** How long a check may wait for a timer of the server. */
  public Duration maxWait() {
    return run.options().maxWait();
  }

  @Override
  public void close() {
    for (Peer p : peers) {
      p.close();
    }
  }

  private static String labelFor(int i) {
    return i < 26 ? String.valueOf((char) ('A' + i)) : "C" + i;
  }
}
