package io.github.obrol.protocol;

import java.util.Objects;

/** One rule of PROTOCOL.md: its stable ID, its level and its text, as written there. */
public record Rule(String id, RuleLevel level, String text) {
  public Rule {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(text, "text");
  }

  /** {@code "CL-LOGIN-2 (MUST): ..."}, as the rule reads in the specification. */
  @Override
  public String toString() {
    return id + " (" + level + "): " + text;
  }
}
