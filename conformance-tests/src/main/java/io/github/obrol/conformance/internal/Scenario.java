package io.github.obrol.conformance.internal;

import io.github.obrol.protocol.Dialect;
import io.github.obrol.protocol.Event;
import io.github.obrol.protocol.Reply;
import io.github.obrol.protocol.ServerMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs a stateful scenario against a server, step by step, and compares what every client receives with
 * what {@link ScenarioModel} predicts. After each step every connected client runs an in-band barrier
 * ({@link Peer#barrier()}), so each step is judged on its own: no lost, extra, duplicated, misattributed or
 * misrouted frame, replies in order, and each sender's events in order. An observer client ({@code O}),
 * logged in for the whole scenario, sees every join and leave, and its user list is compared with the
 * model after each step (invariant "user list"). A connect step may name another dialect than the run's
 * (a mixed scenario): that client connects in it, and what it receives is read in its dialect.
 */
public final class Scenario implements AutoCloseable {
  private final CheckContext ctx;
  private final ScenarioModel model;
  private final Map<String, Peer> peers = new LinkedHashMap<>();
  private final List<ScenarioStep> executed = new ArrayList<>();
  private final Peer observer;
  private final ScenarioModel.Client observerModel;

  public Scenario(RunContext run) {
    this.ctx = new CheckContext(run);
    this.model = new ScenarioModel(run.options().dialect(), run.maxLineLength());
    String name = ctx.namePrefix() + "obs";
    try {
      this.observer = ctx.connect();
      model.apply(ScenarioStep.connect("O"), "");
      observer.loginOk(name);
    } catch (PreconditionFailure e) {
      ctx.close();
      throw new PreconditionFailure("the scenario's observer O: " + e.getMessage() + "\n  its transcript:\n"
          + ctx.transcript().render());
    } catch (RuntimeException e) {
      ctx.close();
      throw e;
    }
    // The observer is a user of the model too: log it in there.
    model.apply(ScenarioStep.send("O", "login\n"), login(name) + "\n");
    model.takeExpected();
    observerModel = model.client("O");
  }

  private String login(String name) {
    return model.dialect() == Dialect.MODERN ? "LOGIN " + name : name + " says " + name;
  }

  public ScenarioModel model() {
    return model;
  }

  /** The name prefix this scenario substitutes for {@code $p}. */
  public String prefix() {
    return ctx.namePrefix();
  }

  public CheckContext context() {
    return ctx;
  }

  /** The steps run so far, in order. */
  public List<ScenarioStep> executed() {
    return new ArrayList<>(executed);
  }

  /**
   * Runs {@code step} and judges it.
   *
   * @throws CheckFailure naming the broken rule if the server's behaviour differs from the model's
   */
  public void apply(ScenarioStep step) {
    String text = step.joined().replace(ScenarioStep.PREFIX, ctx.namePrefix());
    String before = model.client(step.label()) == null ? null : model.client(step.label()).name();
    if (!model.apply(step, text)) {
      return; // not applicable in this state (for example after shrinking removed a connect)
    }
    executed.add(step);
    Peer peer = peers.get(step.label());
    switch (step.kind()) {
      case CONNECT:
        peer = ctx.connect(model.client(step.label()).dialect());
        peers.put(step.label(), peer);
        break;
      case CLOSE:
        peer.close();
        break;
      case ABORT:
        peer.wire().abort();
        break;
      default:
        boolean first = true;
        for (String w : step.writes()) {
          byte[] bytes = Peer.utf8(w.replace(ScenarioStep.PREFIX, ctx.namePrefix()));
          if (first) {
            peer.wire().send(bytes); // paced in the classic dialect (CL-FRAME-4)
          } else {
            peer.wire().sendNow(bytes); // the rest of a split frame follows at once
          }
          first = false;
        }
        break;
    }
    Map<String, List<String>> expected = model.takeExpected();
    ScenarioModel.Client acting = model.client(step.label());
    if (acting.name() != null && before == null) {
      peer.assumeLoggedIn(acting.name());
    }
    judge(step, expected);
  }

  private void judge(ScenarioStep step, Map<String, List<String>> expected) {
    // Departures are asynchronous to other connections: wait until the observer has seen each leave.
    List<String> leaves = expected.getOrDefault("O", List.of()).stream().filter(s -> s.startsWith("LEFT "))
        .collect(Collectors.toList());
    List<Received> early = new ArrayList<>();
    for (String leave : leaves) {
      String name = leave.split(" ")[1];
      early.addAll(observer.wire().until(r -> observer.relevant(r) && Expect.leave(name).test(r), ctx.timeouts().reply())
          .stream().filter(observer::relevant).collect(Collectors.toList()));
    }
    // The acting client first: once its barrier is answered, the server has processed its frames, so the
    // other clients' barriers below are ordered after every event those frames caused (GEN-ORDER-3).
    List<ScenarioModel.Client> order = new ArrayList<>(model.clients());
    order.sort((x, y) -> Boolean.compare(!x.label().equals(step.label()), !y.label().equals(step.label())));
    for (ScenarioModel.Client c : order) {
      Peer p = c.label().equals("O") ? observer : peers.get(c.label());
      boolean wasConnected = c.connected() || step.label().equals(c.label());
      if (p == null || !wasConnected || (!c.connected() && step.kind() != ScenarioStep.Kind.SEND)) {
        continue;
      }
      List<Received> got = new ArrayList<>(c.label().equals("O") ? early : List.of());
      if (c.connected()) {
        boolean anonymous = c.name() == null;
        int owed = (int) expected.getOrDefault(c.label(), List.of()).stream()
            .filter(x -> x.startsWith("LIST") || (anonymous && x.startsWith("ERR "))).count();
        got.addAll(p.barrier(owed));
      } else {
        // The client quit in this step: read what arrived until the server closed the connection.
        p.wire().awaitClosedByPeer(ctx.timeouts().reply());
        got.addAll(p.barrierStash());
        got.addAll(p.wire().drain().stream().filter(p::relevant).collect(Collectors.toList()));
      }
      compare(step, c, normalise(got, c.dialect()), expected.getOrDefault(c.label(), List.of()));
    }
    checkUserListInvariant();
  }

  /**
   * The invariant "user list": the observer's user list (this scenario's users) equals the model's, in
   * order of login (GEN-LIST-1).
   *
   * @throws CheckFailure if it does not
   */
  public void checkUserListInvariant() {
    List<String> want = model.users();
    List<String> listed;
    try {
      listed = observer.ownUsers();
    } catch (CheckFailure f) {
      ScenarioStep last = executed.isEmpty() ? ScenarioStep.connect("O") : executed.get(executed.size() - 1);
      throw failure(last, "GEN-LIST-1", "invariant \"user list\": " + f.expected(), f.actual());
    }
    if (!listed.equals(want)) {
      ScenarioStep last = executed.isEmpty() ? ScenarioStep.connect("O") : executed.get(executed.size() - 1);
      throw failure(last, "GEN-LIST-1", "invariant \"user list\": the list shows " + want, listed.toString());
    }
  }

  private List<String> normalise(List<Received> frames, Dialect dialect) {
    List<String> out = new ArrayList<>();
    for (Received r : frames) {
      ServerMessage m = r.message();
      if (m == null) {
        out.add("? " + r.wire());
      } else if (m instanceof Reply.Error) {
        out.add("ERR " + ((Reply.Error) m).code());
      } else if (m instanceof Event.Bye) {
        out.add("BYE " + ((Event.Bye) m).code());
      } else if (m instanceof Reply.UserList) {
        List<String> own = ((Reply.UserList) m).names().stream().filter(ctx::isOwn).collect(Collectors.toList());
        out.add((dialect == Dialect.MODERN ? "OK LIST " : "LIST ") + String.join(" ", own));
      } else if (dialect == Dialect.CLASSIC && m instanceof Event.Message) {
        Event.Message msg = (Event.Message) m;
        out.add("MSG " + msg.from() + " " + msg.text());
      } else if (dialect == Dialect.CLASSIC && m instanceof Event.UserJoined) {
        out.add("JOIN " + ((Event.UserJoined) m).name());
      } else if (dialect == Dialect.CLASSIC && m instanceof Event.UserLeft) {
        out.add("LEFT " + ((Event.UserLeft) m).name());
      } else {
        out.add(r.raw());
      }
    }
    return out;
  }

  private static boolean isReply(String s) {
    return s.startsWith("OK ") || s.equals("OK") || s.startsWith("ERR ") || s.startsWith("LIST") || s.startsWith("BYE ")
        || s.startsWith("? ");
  }

  private void compare(ScenarioStep step, ScenarioModel.Client c, List<String> got, List<String> want) {
    List<String> gotReplies = got.stream().filter(Scenario::isReply).collect(Collectors.toList());
    List<String> wantReplies = want.stream().filter(Scenario::isReply).collect(Collectors.toList());
    List<String> gotEvents = got.stream().filter(s -> !isReply(s)).collect(Collectors.toList());
    List<String> wantEvents = want.stream().filter(s -> !isReply(s)).collect(Collectors.toList());
    String who = c.label() + (c.name() != null ? " (" + c.name() + ")" : "");
    if (!gotReplies.equals(wantReplies)) {
      throw failure(step, ruleForReplies(step, c.dialect(), wantReplies, gotReplies), who + " receives the replies " + wantReplies,
          gotReplies.toString());
    }
    if (!gotEvents.equals(wantEvents)) {
      throw failure(step, ruleForEvents(wantEvents, gotEvents), who + " receives the events " + wantEvents,
          gotEvents.toString());
    }
  }

  /** The rule a step exercises, from its frames: a login of a reserved word is GEN-NAME-3, of another invalid name GEN-NAME-1. */
  private String ruleForReplies(ScenarioStep step, Dialect dialect, List<String> want, List<String> got) {
    String loginName = loginName(step);
    if (loginName != null && WireTables.RESERVED.contains(WireTables.key(loginName))) {
      return "GEN-NAME-3";
    }
    if (loginName != null && !WireTables.validName(loginName.replace(ScenarioStep.PREFIX, ctx.namePrefix()))) {
      return "GEN-NAME-1";
    }
    return ruleForReplies(dialect, want, got);
  }

  /** The name a step logs in with, or null if it is no login. */
  private String loginName(ScenarioStep step) {
    if (step.kind() != ScenarioStep.Kind.SEND) {
      return null;
    }
    String text = step.joined().trim();
    if (model.client(step.label()).dialect() == Dialect.MODERN) {
      return text.startsWith("LOGIN ") && !text.contains("\n") ? text.substring(6) : null;
    }
    String[] t = text.split("[ \t\u000b\u000c]+");
    return t.length >= 3 && t[1].equals("says") && t[0].equals(t[2]) && !text.contains("\n") ? t[0] : null;
  }

  private static String ruleForReplies(Dialect dialect, List<String> want, List<String> got) {
    for (int i = 0; i < Math.max(want.size(), got.size()); i++) {
      String w = i < want.size() ? want.get(i) : "";
      String g = i < got.size() ? got.get(i) : "";
      if (w.equals(g)) {
        continue;
      }
      if (g.startsWith("? ") && w.startsWith("ERR ")) {
        // Answered, but with a frame the suite does not recognise: the error's text is wrong.
        return dialect == Dialect.MODERN ? "MD-ERROR-1" : "CL-ERROR-1";
      }
      String s = w.isEmpty() ? g : w;
      if (s.contains("NAME_TAKEN") || g.contains("NAME_TAKEN")) {
        return "GEN-NAME-4";
      }
      if (s.contains("INVALID_NAME")) {
        return "GEN-NAME-1";
      }
      if (s.contains("LINE_TOO_LONG")) {
        return "GEN-LINE-2";
      }
      if (s.contains("NO_SUCH_USER")) {
        return dialect == Dialect.MODERN ? "MD-SENDTO-2" : "CL-SENDTO-2";
      }
      if (s.contains("NAME_MISMATCH")) {
        return "CL-AUTH-1";
      }
      if (s.contains("NOT_LOGGED_IN")) {
        return dialect == Dialect.MODERN ? "MD-AUTH-1" : "CL-AUTH-2";
      }
      if (s.contains("LIST")) {
        return "GEN-LIST-1";
      }
      return dialect == Dialect.MODERN ? "MD-REPLY-1" : "CL-SFRAME-2";
    }
    return "MD-REPLY-1";
  }

  private static String ruleForEvents(List<String> want, List<String> got) {
    if (want.size() == got.size() && new java.util.HashSet<>(want).equals(new java.util.HashSet<>(got))) {
      return "GEN-ORDER-2";
    }
    List<String> diff = new ArrayList<>(want);
    diff.removeAll(got);
    List<String> extra = new ArrayList<>(got);
    extra.removeAll(want);
    String s = !diff.isEmpty() ? diff.get(0) : !extra.isEmpty() ? extra.get(0) : "";
    if (s.startsWith("JOIN")) {
      return "GEN-JOIN-1";
    }
    if (s.startsWith("LEFT")) {
      return "GEN-LEAVE-1";
    }
    if (s.startsWith("PRIV")) {
      return "GEN-DELIVER-2";
    }
    return "GEN-DELIVER-1";
  }

  private CheckFailure failure(ScenarioStep step, String rule, String expected, String actual) {
    StringBuilder steps = new StringBuilder();
    for (ScenarioStep s : executed) {
      steps.append("\n      ").append(s.describe());
    }
    return new CheckFailure(rule + ": after step " + executed.size() + " (" + step.describe() + "), " + expected,
        actual + "\n  scenario (" + executed.size() + " steps, $p = " + ctx.namePrefix() + "):" + steps);
  }

  @Override
  public void close() {
    ctx.close();
  }
}
