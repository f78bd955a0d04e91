package io.github.obrol.conformance.internal;

import io.github.obrol.protocol.Dialect;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Draws the next step of a random scenario from the model's state: connect, login with a valid, taken or
 * invalid name, list, sendall, sendto a present, absent or just-departed user, quit, close, abort,
 * malformed and oversized lines, frames split across writes and merged into one. Names are written with
 * the {@code $p} placeholder. A mixed generator connects each new client in a dialect drawn at random, so
 * classic and modern users share one scenario (GEN-DIALECT-2); every later step is written in the acting
 * client's dialect.
 */
public final class ScenarioGenerator {
  private static final int MAX_CLIENTS = 4;

  private final Dialect dialect;
  private final boolean splitAndMerge;
  private final int maxLineLength;
  private final boolean mixed;
  private int counter;

  /**
   * @param splitAndMerge whether to split frames across writes and merge several into one (off for servers
   *     that frame classic input by read boundaries, where the framing checks report that instead)
   */
  public ScenarioGenerator(Dialect dialect, boolean splitAndMerge, int maxLineLength) {
    this(dialect, splitAndMerge, maxLineLength, false);
  }

  /**
   * @param dialect the scenario's own dialect (its observer's); with {@code mixed}, each client's is drawn
   * @param splitAndMerge whether to split frames across writes and merge several into one; in a mixed
   *     scenario this applies to classic clients, modern ones always may
   * @param mixed whether clients of both dialects join one scenario
   */
  public ScenarioGenerator(Dialect dialect, boolean splitAndMerge, int maxLineLength, boolean mixed) {
    this.dialect = dialect;
    this.splitAndMerge = splitAndMerge;
    this.maxLineLength = maxLineLength;
    this.mixed = mixed;
  }

  /** The next step for a scenario in the state of {@code model}. */
  public ScenarioStep next(ScenarioModel model, Random random) {
    List<ScenarioModel.Client> connected = new ArrayList<>();
    List<ScenarioModel.Client> loggedIn = new ArrayList<>();
    List<ScenarioModel.Client> anonymous = new ArrayList<>();
    for (ScenarioModel.Client c : model.clients()) {
      if (c.connected() && !c.label().equals("O")) {
        connected.add(c);
        (c.name() == null ? anonymous : loggedIn).add(c);
      }
    }
    int id = ++counter;
    if (connected.isEmpty() || (connected.size() < MAX_CLIENTS && random.nextInt(6) == 0)) {
      // Only a mixed scenario draws a dialect: single-dialect seeds keep the scenarios they always had.
      return mixed ? ScenarioStep.connect(freeLabel(model), random.nextBoolean() ? Dialect.MODERN : Dialect.CLASSIC)
          : ScenarioStep.connect(freeLabel(model));
    }
    if (!anonymous.isEmpty() && random.nextInt(3) > 0) {
      ScenarioModel.Client c = pick(anonymous, random);
      return login(c, model, random, id);
    }
    if (loggedIn.isEmpty()) {
      ScenarioModel.Client c = pick(connected, random);
      return random.nextBoolean() ? login(c, model, random, id) : ScenarioStep.send(c.label(), line(c, "PING t" + id, "list"));
    }
    ScenarioModel.Client c = pick(loggedIn, random);
    Dialect dialect = c.dialect();
    boolean splitAndMerge = this.splitAndMerge || (mixed && dialect == Dialect.MODERN);
    String me = c.name();
    int roll = random.nextInt(100);
    List<String> users = model.users();
    if (roll < 22) {
      return ScenarioStep.send(c.label(), sendall(dialect, me, "m" + id + " hi"));
    } else if (roll < 38) {
      String to = users.get(random.nextInt(users.size()));
      to = random.nextInt(4) == 0 ? to.toUpperCase(Locale.ROOT) : to;
      return ScenarioStep.send(c.label(), sendto(dialect, me, placeholder(to), "p" + id + " psst"));
    } else if (roll < 43) {
      return ScenarioStep.send(c.label(), sendto(dialect, me, "$pghost" + id, "p" + id + " lost"));
    } else if (roll < 48 && !model.departed().isEmpty()) {
      String gone = model.departed().get(random.nextInt(model.departed().size()));
      return ScenarioStep.send(c.label(), sendto(dialect, me, placeholder(gone), "p" + id + " late"));
    } else if (roll < 55) {
      return ScenarioStep.send(c.label(), line(c, "LIST", "list"));
    } else if (roll < 60) {
      return dialect == Dialect.MODERN ? ScenarioStep.send(c.label(), "QUIT bye " + id + "\n") : ScenarioStep.close(c.label());
    } else if (roll < 64) {
      return ScenarioStep.close(c.label());
    } else if (roll < 68) {
      return ScenarioStep.abort(c.label());
    } else if (roll < 73) {
      return ScenarioStep.send(c.label(), line(c, random.nextBoolean() ? "FOO " + id : "list", "bogus" + id));
    } else if (roll < 77) {
      String head = dialect == Dialect.MODERN ? "SEND " : placeholder(me) + " says sendall ";
      return ScenarioStep.send(c.label(), head + "o".repeat(maxLineLength + 1 - head.length() + random.nextInt(50)) + "\n");
    } else if (roll < 81) {
      return login(c, model, random, id);
    } else if (roll < 90 && splitAndMerge) {
      String line = sendall(dialect, me, "s" + id + " split");
      int cut = 1 + random.nextInt(line.length() - 2);
      if (line.charAt(cut - 1) == '$') {
        cut++; // never split the $p placeholder
      }
      return ScenarioStep.send(c.label(), line.substring(0, cut), line.substring(cut));
    } else if (splitAndMerge) {
      return ScenarioStep.send(c.label(), sendall(dialect, me, "a" + id + " one") + line(c, "LIST", "list")
          + sendall(dialect, me, "b" + id + " two"));
    }
    return ScenarioStep.send(c.label(), sendall(dialect, me, "m" + id + " hi"));
  }

  private ScenarioStep login(ScenarioModel.Client c, ScenarioModel model, Random random, int id) {
    List<String> users = model.users();
    int roll = random.nextInt(10);
    String name;
    if (c.name() != null) {
      name = placeholder(c.name()); // classic: a second login must claim its own name (CL-LOGIN-3)
    } else if (roll < 2 && !users.isEmpty()) {
      String taken = users.get(random.nextInt(users.size()));
      name = placeholder(random.nextBoolean() ? taken.toUpperCase(Locale.ROOT) : taken);
    } else if (roll < 3) {
      // Only prefixed names, so a run never touches names it does not own (safe on a shared server).
      name = random.nextBoolean() ? "$pbad/" + id : "$pbad@" + id;
    } else if (roll < 5 && !model.departed().isEmpty()) {
      name = placeholder(model.departed().get(random.nextInt(model.departed().size())));
    } else {
      name = "$pu" + id;
    }
    return ScenarioStep.send(c.label(),
        c.dialect() == Dialect.MODERN ? "LOGIN " + name + "\n" : name + " says " + name + "\n");
  }

  /** A name with the scenario prefix turned back into {@code $p} (the prefix ends with '-'). */
  private static String placeholder(String name) {
    int dash = name.indexOf('-');
    return dash < 0 ? name : ScenarioStep.PREFIX + name.substring(dash + 1);
  }

  private static String sendall(Dialect dialect, String me, String text) {
    return dialect == Dialect.MODERN ? "SEND " + text + "\n" : placeholder(me) + " says sendall " + text + "\n";
  }

  private static String sendto(Dialect dialect, String me, String to, String text) {
    return dialect == Dialect.MODERN ? "SENDTO " + to + " " + text + "\n"
        : placeholder(me) + " says sendto " + to + " " + text + "\n";
  }

  private static String line(ScenarioModel.Client c, String modern, String classicBody) {
    return c.dialect() == Dialect.MODERN ? modern + "\n" : placeholder(c.name() == null ? "$panon" : c.name())
        + " says " + classicBody + "\n";
  }

  private static String freeLabel(ScenarioModel model) {
    for (char l = 'A'; l <= 'N'; l++) {
      ScenarioModel.Client c = model.client(String.valueOf(l));
      if (c == null) {
        return String.valueOf(l);
      }
    }
    return "Z";
  }

  private static <T> T pick(List<T> list, Random random) {
    return list.get(random.nextInt(list.size()));
  }
}
