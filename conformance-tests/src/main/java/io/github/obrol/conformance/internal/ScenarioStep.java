package io.github.obrol.conformance.internal;

import io.github.obrol.protocol.Dialect;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One step of a stateful scenario, written as the wire bytes it sends: {@code A connect},
 * {@code B send "LOGIN $pu1\n"}, {@code B send "SEN" + "D hi\n"} (two TCP writes), {@code C close},
 * {@code C abort}. {@code $p} stands for the scenario's name prefix, so a transcript replays against any
 * server. One step per line in a scenario file. In a scenario that mixes both dialects a connect names the
 * client's dialect: {@code D connect classic}.
 *
 * @param label the client (A, B, ...)
 * @param kind what the client does
 * @param writes for {@link Kind#SEND}, the text of each TCP write; empty otherwise
 * @param dialect for {@link Kind#CONNECT}, the dialect the client speaks, or null for the scenario's own;
 *     null otherwise
 */
public record ScenarioStep(String label, Kind kind, List<String> writes, Dialect dialect) {
  /** What a step does. */
  public enum Kind { CONNECT, SEND, CLOSE, ABORT }

  /** The placeholder for the scenario's name prefix. */
  public static final String PREFIX = "$p";

  public ScenarioStep {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(kind, "kind");
    writes = List.copyOf(writes);
    if (!label.matches("[A-Z][0-9]*")) {
      throw new IllegalArgumentException("label: " + label + " (expected: A to Z, optionally followed by digits)");
    }
    if ((kind == Kind.SEND) == writes.isEmpty()) {
      throw new IllegalArgumentException("writes: " + writes + " (expected: at least one for send, none otherwise)");
    }
    if (dialect != null && kind != Kind.CONNECT) {
      throw new IllegalArgumentException("dialect: " + dialect + " (expected: only a connect names a dialect)");
    }
  }

  /** A step in the scenario's own dialect. */
  public ScenarioStep(String label, Kind kind, List<String> writes) {
    this(label, kind, writes, null);
  }

  public static ScenarioStep connect(String label) {
    return new ScenarioStep(label, Kind.CONNECT, List.of());
  }

  /** A client that connects speaking {@code dialect}, whatever the scenario's own dialect is. */
  public static ScenarioStep connect(String label, Dialect dialect) {
    return new ScenarioStep(label, Kind.CONNECT, List.of(), java.util.Objects.requireNonNull(dialect, "dialect"));
  }

  public static ScenarioStep send(String label, String... writes) {
    return new ScenarioStep(label, Kind.SEND, List.of(writes));
  }

  public static ScenarioStep close(String label) {
    return new ScenarioStep(label, Kind.CLOSE, List.of());
  }

  public static ScenarioStep abort(String label) {
    return new ScenarioStep(label, Kind.ABORT, List.of());
  }

  /** All writes joined: the bytes the step sends, as text. */
  public String joined() {
    return String.join("", writes);
  }

  /** The step as one line of a scenario file. */
  public String describe() {
    if (kind != Kind.SEND) {
      return label + " " + kind.name().toLowerCase(java.util.Locale.ROOT)
          + (dialect == null ? "" : " " + dialect.name().toLowerCase(java.util.Locale.ROOT));
    }
    List<String> parts = new ArrayList<>();
    for (String w : writes) {
      parts.add(Escapes.literal(w.getBytes(StandardCharsets.UTF_8)));
    }
    return label + " send " + String.join(" + ", parts);
  }

  @Override
  public String toString() {
    return describe();
  }

  /**
   * Parses a line written by {@link #describe()}.
   *
   * @throws IllegalArgumentException if the line is not a step
   */
  public static ScenarioStep parse(String line) {
    String s = line.trim();
    int sp = s.indexOf(' ');
    if (sp < 0) {
      throw new IllegalArgumentException("step: " + line + " (expected: <label> connect|send|close|abort ...)");
    }
    String label = s.substring(0, sp);
    String rest = s.substring(sp + 1).trim();
    if (rest.equals("connect")) {
      return connect(label);
    }
    if (rest.equals("connect classic") || rest.equals("connect modern")) {
      return connect(label, Dialect.valueOf(rest.substring(8).toUpperCase(java.util.Locale.ROOT)));
    }
    if (rest.equals("close")) {
      return close(label);
    }
    if (rest.equals("abort")) {
      return abort(label);
    }
    if (!rest.startsWith("send ")) {
      throw new IllegalArgumentException("step: " + line + " (expected: <label> connect|send|close|abort ...)");
    }
    List<String> writes = new ArrayList<>();
    String literals = rest.substring(5).trim();
    int i = 0;
    while (i < literals.length()) {
      if (literals.charAt(i) != '"') {
        throw new IllegalArgumentException("step: " + line + " (expected: quoted writes joined by +)");
      }
      int j = i + 1;
      while (j < literals.length() && literals.charAt(j) != '"') {
        j += literals.charAt(j) == '\\' ? 2 : 1;
      }
      writes.add(new String(Escapes.parse(literals.substring(i, j + 1)), StandardCharsets.UTF_8));
      i = j + 1;
      while (i < literals.length() && (literals.charAt(i) == ' ' || literals.charAt(i) == '+')) {
        i++;
      }
    }
    return new ScenarioStep(label, Kind.SEND, writes);
  }
}
