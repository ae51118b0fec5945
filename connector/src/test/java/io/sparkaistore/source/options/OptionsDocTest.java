package io.sparkaistore.source.options;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/options.md} equal to the options the code knows. Run with {@code
 * -Dupdate.docs=true} to regenerate the table after changing an option.
 */
class OptionsDocTest {
  private static final Path DOC = Path.of("..", "docs", "options.md");
  private static final String BEGIN =
      "<!-- options:begin (generated from AisOptions by OptionsDocTest) -->\n";
  private static final String END = "<!-- options:end -->";

  static String table() {
    StringBuilder out =
        new StringBuilder("| option | for | default | meaning |\n|---|---|---|---|\n");
    for (AisOption<?> o : AisOptions.all()) {
      out.append("| `")
          .append(o.name())
          .append("` | ")
          .append(takenBy(o.scope()))
          .append(" | ")
          .append(o.defaultText().isEmpty() ? "" : "`" + o.defaultText() + "`")
          .append(" | ")
          .append(o.doc())
          .append(" |\n");
    }
    return out.toString();
  }

  private static String takenBy(AisOption.Scope scope) {
    return switch (scope) {
      case READ -> "reads";
      case WRITE -> "writes";
      default -> "both";
    };
  }

  @Test
  void optionsTableMatchesTheCode() throws Exception {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    int from = doc.indexOf(BEGIN) + BEGIN.length();
    int to = doc.indexOf(END);
    String expected = doc.substring(0, from) + table() + doc.substring(to);
    if (Boolean.getBoolean("update.docs")) {
      Files.writeString(DOC, expected, StandardCharsets.UTF_8);
    }
    assertEquals(
        expected,
        Files.readString(DOC, StandardCharsets.UTF_8),
        "docs/options.md is out of date: run mvn -pl connector test -Dtest=OptionsDocTest -Dupdate.docs=true");
  }
}
