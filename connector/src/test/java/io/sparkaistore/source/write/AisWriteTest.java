package io.sparkaistore.source.write;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkaistore.client.AisPath;
import org.junit.jupiter.api.Test;

/** The names a write would create are checked before any task runs. */
class AisWriteTest {
  private static final String QUERY = "3F2a9c1e-77b0-4d7e-9a51-0c4e2f1b8d6a";

  @Test
  void aPathTooLongForTheIndexOfItsLastShardIsRefused() {
    // 3036 bytes: the path's longest shard name, shard-<tag>-00000-0000.tar.gz, is 3072 bytes,
    // AIS's
    // limit; the index shard-<tag>-00000-0000.tar.idx is one byte more.
    WriteTarget target = new WriteTarget(AisPath.parse("ais://b/" + "d/".repeat(1518)), QUERY);
    AisWrite.checkPath(target, true, false);
    String refusal =
        assertThrows(IllegalArgumentException.class, () -> AisWrite.checkPath(target, true, true))
            .getMessage();
    assertTrue(
        refusal.contains("it is 3073 bytes long; AIS stores a name longer than 3072 bytes"),
        refusal);
  }
}
