package io.sparkaistore.source.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkaistore.client.AisPath;
import io.sparkaistore.source.options.AisOptions.Compression;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FinalNamesTest {
  private static final WriteTarget TARGET = new WriteTarget(AisPath.parse("ais://b/p"), "q");

  private static List<StagedObject> rows(String... names) {
    List<StagedObject> out = new ArrayList<>();
    for (String name : names) {
      out.add(
          StagedObject.staged("p/_temporary/q/" + out.size(), "p/" + name, 0, out.size(), 1, 1, 0));
    }
    return out;
  }

  @Test
  void shardsAreNumberedAfterTheHighestThere() {
    assertEquals(
        List.of("p/shard-000008.tar", "p/shard-000009.tar"),
        FinalNames.numbered(
            TARGET,
            Set.of("p/shard-000007.tar.gz", "p/shard-000002.tar", "p/x"),
            2,
            Compression.NONE));
  }

  @Test
  void eachPartitionDirectoryIsNumberedOnItsOwnInTheOrderGiven() {
    List<StagedObject> staged = new ArrayList<>();
    for (String dir : List.of("s=a/", "s=b/", "s=a/", "")) {
      staged.add(
          StagedObject.staged("p/_temporary/q/" + staged.size(), null, 0, staged.size(), 1, 1, 0)
              .inDirectory(dir));
    }
    assertEquals(
        List.of(
            "p/s=a/shard-000003.tar",
            "p/s=b/shard-000000.tar",
            "p/s=a/shard-000004.tar",
            "p/shard-000000.tar"),
        FinalNames.numberedByDirectory(
            TARGET,
            staged,
            Set.of("p/s=a/shard-000002.tar.idx", "p/s=c/shard-000009.tar"),
            Compression.NONE));
  }

  @Test
  void shardsAreNumberedAfterAnIndexLeftWithoutItsShard() {
    assertEquals(
        List.of("p/shard-000005.tar"),
        FinalNames.numbered(
            TARGET,
            Set.of("p/shard-000002.tar", "p/shard-000002.tar.idx", "p/shard-000004.tar.idx"),
            1,
            Compression.NONE));
  }

  @Test
  void anIndexNameTakenAsADirectoryFailsBeforeAnythingChanges() {
    String message =
        assertThrows(
                IllegalStateException.class,
                () ->
                    FinalNames.numbered(
                        TARGET, Set.of("p/shard-000000.tar.idx/x"), 1, Compression.NONE))
            .getMessage();
    assertTrue(message.contains("taken by 'p/shard-000000.tar.idx/x'"), message);
  }

  @Test
  void aShardNamedByPartitionNeverMeetsAnIndexThere() {
    List<StagedObject> pending =
        List.of(StagedObject.pending("p/shard-abc-00000-0000.tar", "u1", 1, 0, 0, 1, 1, 0));
    for (boolean truncate : new boolean[] {false, true}) {
      String message =
          assertThrows(
                  IllegalStateException.class,
                  () ->
                      FinalNames.given(
                          TARGET, pending, Set.of("p/shard-abc-00000-0000.tar.idx"), truncate))
              .getMessage();
      assertTrue(
          message.contains("Shard 'p/shard-abc-00000-0000.tar.idx' already exists"), message);
    }
  }

  @Test
  void numberingGoesOnPastNineDigits() {
    assertEquals(
        List.of("p/shard-1000000001.tar"),
        FinalNames.numbered(
            TARGET,
            Set.of("p/shard-999999999.tar", "p/shard-1000000000.tar"),
            1,
            Compression.NONE));
  }

  @Test
  void aShardNameTakenAsADirectoryFailsBeforeAnythingChanges() {
    String message =
        assertThrows(
                IllegalStateException.class,
                () ->
                    FinalNames.numbered(
                        TARGET, Set.of("p/shard-000000.tar/x"), 1, Compression.NONE))
            .getMessage();
    assertTrue(
        message.contains("'p/shard-000000.tar' under")
            && message.contains("taken by 'p/shard-000000.tar/x'"),
        message);
  }

  @Test
  void anAppendReplacesNothing() {
    String message =
        assertThrows(
                IllegalArgumentException.class,
                () -> FinalNames.given(TARGET, rows("a", "b"), Set.of("p/b"), false))
            .getMessage();
    assertTrue(message.contains("Object 'p/b' already exists"), message);
    message =
        assertThrows(
                IllegalArgumentException.class,
                () -> FinalNames.given(TARGET, rows("a/b"), Set.of("p/a"), false))
            .getMessage();
    assertTrue(
        message.contains("Object 'p/a' already exists")
            && message.contains("a directory for 'p/a/b'"),
        message);
    assertEquals(
        List.of("p/a", "p/b"), FinalNames.given(TARGET, rows("a", "b"), Set.of("p/b"), true));
  }

  @Test
  void anObjectNeverTakesTheNameOfADirectory() {
    String message =
        assertThrows(
                IllegalArgumentException.class,
                () -> FinalNames.given(TARGET, rows("x/y", "x"), Set.of(), false))
            .getMessage();
    assertTrue(message.contains("Rows name both 'p/x' and 'p/x/y'"), message);
    message =
        assertThrows(
                IllegalArgumentException.class,
                () -> FinalNames.given(TARGET, rows("a"), Set.of("p/a/b/c"), true))
            .getMessage();
    assertTrue(message.contains("Cannot write an object named 'p/a': 'p/a/b/c' is under"), message);
  }

  @Test
  void duplicateRowNamesAreRefused() {
    String message =
        assertThrows(
                IllegalArgumentException.class,
                () -> FinalNames.given(TARGET, rows("a", "a"), Set.of(), true))
            .getMessage();
    assertTrue(message.contains("Two rows name the same object 'p/a'"), message);
  }

  @Test
  void anOverwriteSetsAsideWhatTheNewObjectsReplaceOrCannotBeBeside() {
    assertEquals(
        List.of("p/a", "p/c"),
        FinalNames.toSetAside(Set.of("p/a", "p/b", "p/c"), List.of("p/a", "p/c/d", "p/e")));
  }
}
