package io.sparkaistore.source.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sparkaistore.source.write.AisSave.Action;
import org.apache.spark.sql.SaveMode;
import org.junit.jupiter.api.Test;

class AisSaveTest {
  @Test
  void errorIfExistsFailsOnAFilledPathAndWritesToAnEmptyOne() {
    assertEquals(Action.FAIL, Action.of(SaveMode.ErrorIfExists, true));
    assertEquals(Action.APPEND, Action.of(SaveMode.ErrorIfExists, false));
  }

  @Test
  void ignoreLeavesAFilledPathAloneAndWritesToAnEmptyOne() {
    assertEquals(Action.SKIP, Action.of(SaveMode.Ignore, true));
    assertEquals(Action.APPEND, Action.of(SaveMode.Ignore, false));
  }

  @Test
  void appendAndOverwriteWriteWhateverThePathHolds() {
    assertEquals(Action.APPEND, Action.of(SaveMode.Append, true));
    assertEquals(Action.APPEND, Action.of(SaveMode.Append, false));
    assertEquals(Action.OVERWRITE, Action.of(SaveMode.Overwrite, true));
    assertEquals(Action.OVERWRITE, Action.of(SaveMode.Overwrite, false));
  }

  @Test
  void theCommitChecksAgainOnlyTheModesThatDependOnAnEmptyPath() {
    assertEquals(SaveMode.ErrorIfExists, AisSave.checkedAtCommit(SaveMode.ErrorIfExists));
    assertEquals(SaveMode.Ignore, AisSave.checkedAtCommit(SaveMode.Ignore));
    assertNull(AisSave.checkedAtCommit(SaveMode.Append));
    assertNull(AisSave.checkedAtCommit(SaveMode.Overwrite));
  }
}
