package io.github.obrol.protocol;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules of PROTOCOL.md, read from the copy shipped in this jar, so that tests and conformance reports
 * quote the specification itself rather than a paraphrase. A rule line reads
 * {@code - **ID** (LEVEL): text}.
 */
public final class RuleCatalog {
  /** Where the specification lives on the class path. */
  public static final String RESOURCE = "/io/github/obrol/protocol/PROTOCOL.md";

  private static final Pattern RULE_LINE =
      Pattern.compile("^- \\*\\*([A-Z]+(?:-[A-Z]+)*-[0-9]+)\\*\\* \\((MUST|SHOULD|MAY)\\): (.+)$");

  private static volatile RuleCatalog instance;

  private final Map<String, Rule> rules;

  private RuleCatalog(Map<String, Rule> rules) {
    this.rules = Collections.unmodifiableMap(rules);
  }

  /** The catalog of the specification shipped with this library. */
  public static RuleCatalog load() {
    RuleCatalog catalog = instance;
    if (catalog == null) {
      try (InputStream in = RuleCatalog.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("specification not on the class path: " + RESOURCE);
        }
        catalog = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      instance = catalog;
    }
    return catalog;
  }

  /**
   * Parses the rule lines of a specification text.
   *
   * @throws IllegalArgumentException if a rule ID appears twice
   */
  public static RuleCatalog parse(String markdown) {
    Map<String, Rule> rules = new LinkedHashMap<>();
    try (BufferedReader reader = new BufferedReader(new java.io.StringReader(markdown))) {
      String line;
      while ((line = reader.readLine()) != null) {
        Matcher m = RULE_LINE.matcher(line);
        if (m.matches()) {
          Rule rule = new Rule(m.group(1), RuleLevel.valueOf(m.group(2)), m.group(3));
          if (rules.putIfAbsent(rule.id(), rule) != null) {
            throw new IllegalArgumentException("rule ID: " + rule.id() + " (expected: unique)");
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new RuleCatalog(rules);
  }

  /** Every rule, in the order of the specification. */
  public List<Rule> rules() {
    return new ArrayList<>(rules.values());
  }

  /** The rule with this ID, if the specification has it. */
  public Optional<Rule> find(String id) {
    return Optional.ofNullable(rules.get(id));
  }

  /**
   * The rule with this ID.
   *
   * @throws IllegalArgumentException if the specification has no such rule
   */
  public Rule get(String id) {
    Rule rule = rules.get(id);
    if (rule == null) {
      throw new IllegalArgumentException("rule ID: " + id + " (expected: one of PROTOCOL.md)");
    }
    return rule;
  }
}
