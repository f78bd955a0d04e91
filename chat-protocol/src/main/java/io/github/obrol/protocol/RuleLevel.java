package io.github.obrol.protocol;

/** The requirement level of a protocol rule, as in RFC 2119. */
public enum RuleLevel {
  MUST,
  SHOULD,
  MAY
}
