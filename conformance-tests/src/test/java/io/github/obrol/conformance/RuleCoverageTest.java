package io.github.obrol.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.obrol.protocol.Rule;
import io.github.obrol.protocol.RuleCatalog;
import io.github.obrol.protocol.RuleLevel;
import io.github.obrol.testkit.Verifies;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The rule catalogue: every MUST rule of PROTOCOL.md (read through {@link RuleCatalog}) has at least one test
 * method, in some module, that is annotated {@link Verifies} with its ID. The test classes of every module are on
 * this module's test classpath (this module's own, and the test-jars of chat-protocol, chat-server-api and
 * chat-client-sdk); they are found by walking that classpath and their class files are read (not loaded), so only an annotation on
 * a JUnit test method counts, never a mention in a comment, a display name or a string.
 */
class RuleCoverageTest {
  private static final String ROOT = "io/github/obrol/";
  /**
   * The modules whose tests verify rules over the wire (the server's and conformance suite's against the real
   * server, the client's against scripted servers); each must contribute, so a missing test-jar cannot pass
   * unnoticed. chat-protocol's unit tests are scanned too but do not count as behavioural.
   */
  private static final Set<String> MODULES = Set.of("server", "client", "conformance");

  @Test
  @DisplayName("every MUST rule of PROTOCOL.md has a test method annotated @Verifies with its ID")
  void everyMustRuleIsVerified() throws Exception {
    Map<String, List<String>> verifiedBy = verifications();
    Set<String> modules = verifiedBy.values().stream().flatMap(List::stream)
        .map(m -> m.split("\\.")[3]).collect(Collectors.toCollection(TreeSet::new));
    assertTrue(modules.containsAll(MODULES), "test classes scanned from modules " + modules + " (expected: " + MODULES + ")");
    List<String> unverified = RuleCatalog.load().rules().stream()
        .filter(r -> r.level() == RuleLevel.MUST)
        .map(Rule::id)
        .filter(id -> !verifiedBy.containsKey(id))
        .collect(Collectors.toList());
    assertEquals(List.of(), unverified, "MUST rules with no @Verifies test method");
  }

  @Test
  @DisplayName("@Verifies names only rules that exist, and only on JUnit test methods")
  void annotationsAreWellFormed() throws Exception {
    Set<String> known = RuleCatalog.load().rules().stream().map(Rule::id).collect(Collectors.toSet());
    List<String> problems = new ArrayList<>();
    for (Claim c : claims()) {
      for (String id : c.rules()) {
        if (!known.contains(id)) {
          problems.add(c.method() + ": unknown rule " + id);
        }
      }
      if (!c.isTest()) {
        problems.add(c.method() + ": @Verifies on a method that is not a JUnit test");
      }
    }
    assertEquals(List.of(), problems);
  }

  private static final String VERIFIES = "L" + Verifies.class.getName().replace('.', '/') + ";";
  private static final Set<String> TEST_ANNOTATIONS = Set.of("Lorg/junit/jupiter/api/Test;",
      "Lorg/junit/jupiter/params/ParameterizedTest;", "Lorg/junit/jupiter/api/RepeatedTest;",
      "Lorg/junit/jupiter/api/TestFactory;");

  /** A test method (class#method) and the rules its {@code @Verifies} names. */
  private record Claim(String method, boolean isTest, List<String> rules) {}

  /** Rule ID to the test methods (class#method) that claim it. */
  private static Map<String, List<String>> verifications() throws IOException {
    Map<String, List<String>> byRule = new TreeMap<>();
    for (Claim c : claims()) {
      if (c.isTest()) {
        c.rules().forEach(id -> byRule.computeIfAbsent(id, k -> new ArrayList<>()).add(c.method()));
      }
    }
    return byRule;
  }

  /**
   * Every method annotated {@code @Verifies} in the compiled test classes, read from the class files themselves
   * (not loaded: another module's test classes need that module's test dependencies to load).
   */
  private static List<Claim> claims() throws IOException {
    List<Claim> out = new ArrayList<>();
    for (Map.Entry<String, byte[]> c : testClasses().entrySet()) {
      for (ClassFileAnnotations.MethodAnnotations m : ClassFileAnnotations.read(c.getValue())) {
        List<String> rules = m.annotations().get(VERIFIES);
        if (rules != null) {
          boolean isTest = m.annotations().keySet().stream().anyMatch(TEST_ANNOTATIONS::contains);
          out.add(new Claim(c.getKey() + "#" + m.method(), isTest, rules));
        }
      }
    }
    return out;
  }

  /** The class files under io/github/obrol/ in the test-classes directories and test-jars of the classpath, by class name. */
  private static Map<String, byte[]> testClasses() throws IOException {
    Map<String, byte[]> classes = new TreeMap<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry);
      if (Files.isDirectory(p) && p.getFileName().toString().equals("test-classes")) {
        try (Stream<Path> files = Files.walk(p)) {
          for (Path f : (Iterable<Path>) files::iterator) {
            String name = p.relativize(f).toString().replace(File.separatorChar, '/');
            if (isClassOfInterest(name)) {
              classes.put(toClassName(name), Files.readAllBytes(f));
            }
          }
        }
      } else if (Files.isRegularFile(p) && p.getFileName().toString().endsWith("-tests.jar")) {
        try (JarFile jar = new JarFile(p.toFile())) {
          for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
            JarEntry je = e.nextElement();
            if (isClassOfInterest(je.getName())) {
              try (var in = jar.getInputStream(je)) {
                classes.put(toClassName(je.getName()), in.readAllBytes());
              }
            }
          }
        }
      }
    }
    return classes;
  }

  private static boolean isClassOfInterest(String path) {
    return path.startsWith(ROOT) && path.endsWith(".class") && !path.endsWith("module-info.class")
        && !path.endsWith("package-info.class");
  }

  private static String toClassName(String path) {
    return path.substring(0, path.length() - ".class".length()).replace('/', '.');
  }
}
