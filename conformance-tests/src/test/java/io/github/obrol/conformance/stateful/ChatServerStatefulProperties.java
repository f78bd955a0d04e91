package io.github.obrol.conformance.stateful;

import io.github.obrol.conformance.ConformanceListener;
import io.github.obrol.conformance.ConformanceOptions;
import io.github.obrol.conformance.internal.RunContext;
import io.github.obrol.conformance.internal.Scenario;
import io.github.obrol.conformance.internal.ScenarioModel;
import io.github.obrol.conformance.internal.ScenarioStep;
import io.github.obrol.conformance.internal.StatefulCheck;
import io.github.obrol.conformance.internal.SuiteRunner;
import io.github.obrol.conformance.mutants.MutantServer;
import io.github.obrol.protocol.Dialect;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * Model-based stateful testing with jqwik against the correct test server: chains of actions by several
 * clients, each action described by the wire bytes it sends, each step judged by {@link Scenario} against
 * the reference model after an in-band barrier, and the named invariant "user list" checked after every
 * step. A failure shrinks to a minimal chain and is written to {@code target/conformance/} as a scenario
 * file that {@code obrol-conformance replay} runs again.
 */
class ChatServerStatefulProperties {
  private static MutantServer server;
  private static final List<Scenario> open = new ArrayList<>();

  @BeforeContainer
  static void startServer() throws IOException {
    server = MutantServer.start(MutantServer.Mutation.valueOf(System.getProperty("obrol.test.mutation", "NONE")));
  }

  @AfterContainer
  static void stopServer() {
    open.forEach(Scenario::close);
    server.close();
  }

  @Property(tries = 8, shrinking = ShrinkingMode.BOUNDED)
  @Label("modern: every client sees what the reference model predicts (GEN-DELIVER-*, GEN-JOIN-1, GEN-LEAVE-1, GEN-ORDER-*)")
  void modernMatchesTheModel(@ForAll("modernChains") ActionChain<Scenario> chain) {
    runAndRecord(chain, Dialect.MODERN);
  }

  @Property(tries = 6, shrinking = ShrinkingMode.BOUNDED)
  @Label("classic: every client sees what the reference model predicts (GEN-DELIVER-*, GEN-JOIN-1, GEN-LEAVE-1, GEN-ORDER-*)")
  void classicMatchesTheModel(@ForAll("classicChains") ActionChain<Scenario> chain) {
    runAndRecord(chain, Dialect.CLASSIC);
  }

  @Provide
  Arbitrary<ActionChain<Scenario>> modernChains() {
    return chains(Dialect.MODERN);
  }

  @Provide
  Arbitrary<ActionChain<Scenario>> classicChains() {
    return chains(Dialect.CLASSIC);
  }

  private static Arbitrary<ActionChain<Scenario>> chains(Dialect dialect) {
    return ActionChain.startWith(() -> newScenario(dialect))
        .withAction(2, new Connect())
        .withAction(4, new Login())
        .withAction(4, new SendAll())
        .withAction(3, new SendTo())
        .withAction(1, new ListUsers())
        .withAction(1, new Depart())
        .withAction(1, new Malformed())
        .withAction(1, new Oversized())
        .withAction(1, new SplitFrame())
        .withAction(1, new MergedFrames())
        .withMaxTransformations(14);
  }

  private static Scenario newScenario(Dialect dialect) {
    open.forEach(Scenario::close);
    open.clear();
    ConformanceOptions options = ConformanceOptions.builder(server.address()).dialect(dialect)
        .frameGap(Duration.ZERO).quietPeriod(server.quietPeriod()).build();
    try {
      RunContext run = new SuiteRunner(options, new ConformanceListener() {}).prepare();
      Scenario s = new Scenario(run);
      open.add(s);
      return s;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void runAndRecord(ActionChain<Scenario> chain, Dialect dialect) {
    Scenario[] last = new Scenario[1];
    try {
      chain.withInvariant("user list", s -> {
        last[0] = s;
        s.checkUserListInvariant();
      }).run();
    } catch (RuntimeException | AssertionError e) {
      if (last[0] != null) {
        // The last failing run of a shrinking sequence is the minimal one: it overwrites the file each time.
        write(dialect, last[0].executed());
      }
      throw e;
    }
  }

  private static void write(Dialect dialect, List<ScenarioStep> steps) {
    try {
      Path dir = Path.of("target", "conformance");
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("stateful-" + dialect.name().toLowerCase(Locale.ROOT) + "-failure.txt"),
          StatefulCheck.ScenarioFile.render(steps, dialect, "from a jqwik ActionChain, shrunk"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  // ------------------------------------------------------------------ actions

  private static List<ScenarioModel.Client> clients(Scenario s, boolean loggedIn) {
    return s.model().clients().stream()
        .filter(c -> c.connected() && !c.label().equals("O") && (c.name() != null) == loggedIn)
        .collect(Collectors.toList());
  }

  private static boolean modern(Scenario s) {
    return s.model().dialect() == Dialect.MODERN;
  }

  private static String placeholder(Scenario s, String name) {
    return name.startsWith(s.prefix()) ? ScenarioStep.PREFIX + name.substring(s.prefix().length()) : name;
  }

  private static Transformer<Scenario> step(ScenarioStep step) {
    return Transformer.mutate(step.describe(), s -> s.apply(step));
  }

  private static String says(Scenario s, ScenarioModel.Client c, String body) {
    return placeholder(s, c.name()) + " says " + body;
  }

  /** A new client connects. */
  static class Connect implements Action.Dependent<Scenario> {
    @Override
    public boolean precondition(Scenario s) {
      return s.model().clients().stream().filter(ScenarioModel.Client::connected).count() < 5;
    }

    @Override
    public Arbitrary<Transformer<Scenario>> transformer(Scenario s) {
      String label = String.valueOf((char) ('A' + s.model().clients().size() - 1));
      return Arbitraries.just(step(ScenarioStep.connect(label)));
    }
  }

  /** An anonymous client logs in with a fresh, taken (any case), invalid, reserved or departed name. */
  static class Login implements Action.Dependent<Scenario> {
    @Override
    public boolean precondition(Scenario s) {
      return !clients(s, false).isEmpty();
    }

    @Override
    public Arbitrary<Transformer<Scenario>> transformer(Scenario s) {
      List<String> candidates = new ArrayList<>(List.of("$pu" + s.model().clients().size(), "$pbad/name", "Quit"));
      s.model().users().forEach(u -> candidates.add(placeholder(s, u).toUpperCase(Locale.ROOT).replace("$P", "$p")));
      s.model().departed().forEach(u -> candidates.add(placeholder(s, u)));
      return Arbitraries.of(clients(s, false)).flatMap(c -> Arbitraries.of(candidates).map(name -> step(ScenarioStep.send(
          c.label(), modern(s) ? "LOGIN " + name + "\n" : name + " says " + name + "\n"))));
    }
  }

  /** A user broadcasts a unique text. */
  static class SendAll implements Action.Dependent<Scenario> {
    @Override
    public boolean precondition(Scenario s) {
      return !clients(s, true).isEmpty();
    }

    @Override
    public Arbitrary<Transformer<Scenario>> transformer(Scenario s) {
      return Arbitraries.of(clients(s, true)).flatMap(c -> Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8)
          .map(text -> step(ScenarioStep.send(c.label(),
              (modern(s) ? "SEND " : says(s, c, "sendall ")) + text + " " + System.nanoTime() % 100000 + "\n"))));
    }
  }

  /** A user sends privately to a present user, an absent one or a just-departed one. */
  static class SendTo implements Action.Dependent<Scenario> {
    @Override
    public boolean precondition(Scenario s) {
      return !clients(s, true).isEmpty();
    }

    @Override
    public Arbitrary<Transformer<Scenario>> transformer(Scenario s) {
      List<String> to = new ArrayList<>(List.of("$pghost"));
      s.model().users().forEach(u -> to.add(placeholder(s, u)));
      s.model().departed().forEach(u -> to.add(placeholder(s, u)));
      return Arbitraries.of(clients(s, true)).flatMap(c -> Arbitraries.of(to).map(t -> step(ScenarioStep.send(c.label(),
          (modern(s) ? "SENDTO " : says(s, c, "sendto ")) + t + " psst " + System.nanoTime() % 100000 + "\n"))));
    }
  }

  /** Anyone asks for the user list. */
  static class ListUsers implements Action.Dependent<Scenario> {
    @Override
    public boolean precondition(Scenario s) {
      return !clients(s, true).isEmpty();
    }

    @Override
    public Arbitrary<Transformer<Scenario>> transformer(Scenario s) {
      return Arbitraries.of(clients(s, true)).map(c -> step(ScenarioStep.send(c.label(),
          modern(s) ? "LIST\n" : says(s, c, "list\n"))));
    }
  }

  /** A client quits (modern), closes or resets its connection. */
  static class Depart implements Action.Dependent<Scenario> {
    @Override
    public boolean precondition(Scenario s) {
      return !clients(s, true).isEmpty() || !clients(s, false).isEmpty();
    }

    @Override
    public Arbitrary<Transformer<Scenario>> transformer(Scenario s) {
      List<ScenarioModel.Client> all = new ArrayList<>(clients(s, true));
      all.addAll(clients(s, false));
      return Arbitraries.of(all).flatMap(c -> Arbitraries.of(0, 1, 2).map(kind -> step(
          kind == 0 && modern(s) ? ScenarioStep.send(c.label(), "QUIT see you\n")
              : kind == 1 ? ScenarioStep.abort(c.label()) : ScenarioStep.close(c.label()))));
    }
  }

  /** A user sends a line that is not a command. */
  static class Malformed implements Action.Dependent<Scenario> {
    @Override
    public boolean precondition(Scenario s) {
      return !clients(s, true).isEmpty();
    }

    @Override
    public Arbitrary<Transformer<Scenario>> transformer(Scenario s) {
      return Arbitraries.of(clients(s, true)).flatMap(c -> Arbitraries.of("FOO bar", "list", "SEND", "PING a b",
          "nonsense").map(line -> step(ScenarioStep.send(c.label(), (modern(s) ? line : says(s, c, line)) + "\n"))));
    }
  }

  /** A user sends a line longer than the maximum (GEN-LINE-2). */
  static class Oversized implements Action.Dependent<Scenario> {
    @Override
    public boolean precondition(Scenario s) {
      return !clients(s, true).isEmpty();
    }

    @Override
    public Arbitrary<Transformer<Scenario>> transformer(Scenario s) {
      return Arbitraries.of(clients(s, true)).flatMap(c -> Arbitraries.integers().between(1, 3000).map(extra -> {
        String head = modern(s) ? "SEND " : says(s, c, "sendall ");
        return step(ScenarioStep.send(c.label(), head + "x".repeat(4096 + extra) + "\n"));
      }));
    }
  }

  /** A user's frame is split across two TCP writes (FR-LINE-1). */
  static class SplitFrame implements Action.Dependent<Scenario> {
    @Override
    public boolean precondition(Scenario s) {
      return !clients(s, true).isEmpty();
    }

    @Override
    public Arbitrary<Transformer<Scenario>> transformer(Scenario s) {
      return Arbitraries.of(clients(s, true)).flatMap(c -> Arbitraries.integers().between(1, 12).map(cut -> {
        String line = (modern(s) ? "SEND " : says(s, c, "sendall ")) + "split " + System.nanoTime() % 100000 + "\n";
        int at = Math.min(cut, line.length() - 1);
        if (line.charAt(at - 1) == '$') {
          at++;
        }
        return step(ScenarioStep.send(c.label(), line.substring(0, at), line.substring(at)));
      }));
    }
  }

  /** A user's two frames arrive in one TCP write (FR-LINE-1). */
  static class MergedFrames implements Action.Dependent<Scenario> {
    @Override
    public boolean precondition(Scenario s) {
      return !clients(s, true).isEmpty();
    }

    @Override
    public Arbitrary<Transformer<Scenario>> transformer(Scenario s) {
      return Arbitraries.of(clients(s, true)).map(c -> {
        long n = System.nanoTime() % 100000;
        String a = (modern(s) ? "SEND " : says(s, c, "sendall ")) + "first " + n + "\n";
        String b = (modern(s) ? "SEND " : says(s, c, "sendall ")) + "second " + n + "\n";
        return step(ScenarioStep.send(c.label(), a + b));
      });
    }
  }
}
