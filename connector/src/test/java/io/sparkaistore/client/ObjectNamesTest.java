package io.sparkaistore.client;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectNamesTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "a",
        "a/b",
        ".hidden",
        "a/.b",
        "a..b",
        "a/b.",
        "spa ce?q=1%zz",
        "данные/ключ",
        "..."
      })
  void namesAisKeeps(String name) {
    assertNull(ObjectNames.problem(name));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "a//b|empty component", "a/./b|'.' component", "../x|'..' component", "a/..|'..' component",
        "x/|ends with '/'", "/x|starts with '/'", "~/x|starts with '~/'", "a\u0000b|NUL"
      })
  void namesAisRefusesOrRewrites(String name, String reason) {
    String problem = ObjectNames.problem(name);
    assertTrue(problem != null && problem.contains(reason), name + ": " + problem);
  }

  @Test
  void emptyName() {
    assertTrue(ObjectNames.problem("").contains("empty"));
  }

  @Test
  void lengthsAtAndPastAisLimits() {
    String component = "c".repeat(255);
    assertNull(ObjectNames.problem(component + "/" + component));
    assertTrue(ObjectNames.problem("d/" + component + "c").contains("256 bytes long"));
    assertTrue(
        ObjectNames.problem("é".repeat(128)).contains("256 bytes long"),
        "bytes of UTF-8, not characters");
    String longest = ("c".repeat(200) + "/").repeat(15) + "c".repeat(57);
    assertNull(ObjectNames.problem(longest));
    assertTrue(ObjectNames.problem(longest + "x").contains("3073 bytes long"));
  }

  @Test
  void directories() {
    assertNull(ObjectNames.directoryProblem(""));
    assertNull(ObjectNames.directoryProblem("a/b/"));
    assertTrue(ObjectNames.directoryProblem("a//").contains("empty component"));
    assertTrue(ObjectNames.directoryProblem("a/../").contains("'..' component"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"out/shard-000001.tar", "a/B-c_d.e~f", "0/1/2"})
  void plainNamesAreRenamed(String name) {
    assertTrue(ObjectNames.renameKeeps(name));
  }

  /** AIS's rename mangles some of these; all of them are copied instead. */
  @ParameterizedTest
  @ValueSource(
      strings = {"a?b", "a%41", "a%zz", "a b", "a+b", "a#b", "a[1]", "данные", "a;b", "a&b=c"})
  void namesARenameCouldMangleAreCopied(String name) {
    assertFalse(ObjectNames.renameKeeps(name));
  }
}
