package io.sparkaistore.wds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class WdsKeysTest {
  @Test
  void keysThatReadersGiveBackUnchangedHaveNoProblem() {
    for (String key :
        new String[] {
          "k",
          "000017",
          "a/b/c",
          "dir.v2/part.1/sample",
          "é/日本",
          "with space",
          "_x",
          "x__",
          "____",
          "k".repeat(300)
        }) {
      assertNull(WdsKeys.problem(key), key);
    }
  }

  @Test
  void anEmptyOrMissingKeyIsNamed() {
    assertEquals("the key is empty", WdsKeys.problem(null));
    assertEquals("the key is empty", WdsKeys.problem(""));
  }

  @Test
  void aNulCharacterIsRefused() {
    assertEquals("the key contains a NUL character", WdsKeys.problem("a\0b"));
  }

  @Test
  void anAbsolutePathIsRefused() {
    assertEquals(
        "the key is an absolute path; tar tools strip the leading '/'", WdsKeys.problem("/a/b"));
  }

  @Test
  void aKeyEndingInASlashHasNoFileName() {
    assertEquals(
        "the key ends with '/', so its members would have no file name", WdsKeys.problem("a/b/"));
  }

  @Test
  void aDotInTheFileNameSaysWhatKeyReadersWouldSee() {
    assertEquals(
        "the key's file name 'img.001' contains a dot; readers split member names at the first dot of the"
            + " file name, so 'd.x/img.001.jpg' would come back as key 'd.x/img'. Replace the dots, e.g. with '_'",
        WdsKeys.problem("d.x/img.001"));
    assertEquals(
        "the key's file name '.hidden' contains a dot; readers split member names at the first dot of the"
            + " file name, so '.hidden.jpg' would come back as key ''. Replace the dots, e.g. with '_'",
        WdsKeys.problem(".hidden"));
  }

  @Test
  void directoriesThatTarToolsRewriteAreRefused() {
    String problem = "the key has an empty, '.' or '..' directory, which tar tools rewrite";
    for (String key : new String[] {"a//b", "./a", "../a", "a/./b", "a/../b"}) {
      assertEquals(problem, WdsKeys.problem(key), key);
    }
  }

  @Test
  void aPartNamedLikeWebDatasetMetadataIsRefused() {
    assertEquals(
        "'__key__' looks like WebDataset metadata (__name__), which readers skip",
        WdsKeys.problem("__key__"));
    assertEquals(
        "'__x__' looks like WebDataset metadata (__name__), which readers skip",
        WdsKeys.problem("__x__/k"));
  }
}
