package example;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EmbeddingExampleTest {
  @Test
  @Timeout(60)
  void theExampleRunsAgainstTheArtifactsOfThisBuild() {
    PrintStream original = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      EmbeddingExample.run();
    } finally {
      System.setOut(original);
    }
    String output = printed.toString(StandardCharsets.UTF_8);
    original.print(output);
    assertTrue(output.contains("bot joined\n"), output);
    assertTrue(output.contains("online: [bot]\n"), output);
  }

  @Test
  void theReadmeShowsThisExample() throws Exception {
    String source = Files.readString(Path.of("src/main/java/example/EmbeddingExample.java"));
    String example = source.substring(source.indexOf("// README:BEGIN\n") + "// README:BEGIN\n".length(),
        source.indexOf("    // README:END"));
    String readme = Files.readString(Path.of(System.getProperty("obrol.readme")));
    // The README shows the block unindented by the method's four spaces.
    String shown = example.lines().map(l -> l.length() >= 4 ? l.substring(4) : l.strip())
        .reduce("", (a, b) -> a + b + "\n");
    assertTrue(readme.contains(shown), "the root README must show, verbatim:\n" + shown);
  }
}
