package io.sparkaistore.source.read;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkaistore.wds.WdsFormatException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class BadShardRuleTest {
  private final WdsFormatException corruptShard =
      WdsFormatException.corruptShard("ais://b/s.tar", null, "bad", null);
  private final WdsFormatException malformedSample =
      WdsFormatException.malformed("ais://b/s.tar", "k.jpg", "bad");

  @Test
  void failFastNamesTheOptionThatWouldSkip() {
    BadShardRule failFast = BadShardRule.of(false, false);
    IOException corrupt =
        assertThrows(IOException.class, () -> failFast.skipOrThrow(corruptShard, 0));
    assertEquals(
        corruptShard.getMessage()
            + ". Set option 'ignoreCorruptFiles' (or mode DROPMALFORMED) to skip such "
            + "objects.",
        corrupt.getMessage());
    assertSame(corruptShard, corrupt.getCause());
    IOException malformed =
        assertThrows(IOException.class, () -> failFast.skipOrThrow(malformedSample, 3));
    assertEquals(
        malformedSample.getMessage() + ". Set option 'mode' to DROPMALFORMED to skip such samples.",
        malformed.getMessage());
  }

  @Test
  void eachOptionSkipsItsOwnKind() {
    BadShardRule skipCorrupt = BadShardRule.of(true, false);
    assertDoesNotThrow(() -> skipCorrupt.skipOrThrow(corruptShard, 0));
    assertThrows(IOException.class, () -> skipCorrupt.skipOrThrow(malformedSample, 0));
    BadShardRule dropMalformed = BadShardRule.of(false, true);
    assertDoesNotThrow(() -> dropMalformed.skipOrThrow(malformedSample, 5));
    assertThrows(IOException.class, () -> dropMalformed.skipOrThrow(corruptShard, 0));
  }

  @Test
  void corruptionFoundAfterRowsOfTheShardFailsInEveryMode() {
    IOException late =
        assertThrows(
            IOException.class, () -> BadShardRule.of(true, true).skipOrThrow(corruptShard, 2));
    assertEquals(
        corruptShard.getMessage()
            + ". Found after 2 row(s) of this shard were returned, so the read fails in "
            + "every mode rather than keep rows of a corrupt shard; repair or remove the object.",
        late.getMessage());
  }

  @Test
  void aZippedReadFailsWithTheFormatErrorItself() {
    BadShardRule failAsIs = BadShardRule.failAsIs();
    assertSame(
        corruptShard, assertThrows(IOException.class, () -> failAsIs.skipOrThrow(corruptShard, 0)));
    assertSame(
        malformedSample,
        assertThrows(IOException.class, () -> failAsIs.skipOrThrow(malformedSample, 7)));
  }
}
