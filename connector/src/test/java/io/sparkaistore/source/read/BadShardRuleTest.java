package io.sparkaistore.source.read;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkaistore.wds.WdsFormatException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class BadShardRuleTest {
  private static final WdsFormatException CORRUPT = WdsFormatException.corruptShard("ais://b/s.tar", null, "bad", null);
  private static final WdsFormatException MALFORMED = WdsFormatException.malformed("ais://b/s.tar", "k.jpg", "bad");

  @Test
  void failFastNamesTheOptionThatWouldSkip() {
    BadShardRule failFast = BadShardRule.of(false, false);
    IOException corrupt = assertThrows(IOException.class, () -> failFast.skipOrThrow(CORRUPT, 0));
    assertEquals(CORRUPT.getMessage() + ". Set option 'ignoreCorruptFiles' (or mode DROPMALFORMED) to skip such "
        + "objects.", corrupt.getMessage());
    assertSame(CORRUPT, corrupt.getCause());
    IOException malformed = assertThrows(IOException.class, () -> failFast.skipOrThrow(MALFORMED, 3));
    assertEquals(MALFORMED.getMessage() + ". Set option 'mode' to DROPMALFORMED to skip such samples.",
        malformed.getMessage());
  }

  @Test
  void eachOptionSkipsItsOwnKind() {
    BadShardRule skipCorrupt = BadShardRule.of(true, false);
    assertDoesNotThrow(() -> skipCorrupt.skipOrThrow(CORRUPT, 0));
    assertThrows(IOException.class, () -> skipCorrupt.skipOrThrow(MALFORMED, 0));
    BadShardRule dropMalformed = BadShardRule.of(false, true);
    assertDoesNotThrow(() -> dropMalformed.skipOrThrow(MALFORMED, 5));
    assertThrows(IOException.class, () -> dropMalformed.skipOrThrow(CORRUPT, 0));
  }

  @Test
  void corruptionFoundAfterRowsOfTheShardFailsInEveryMode() {
    IOException late = assertThrows(IOException.class, () -> BadShardRule.of(true, true).skipOrThrow(CORRUPT, 2));
    assertEquals(CORRUPT.getMessage() + ". Found after 2 row(s) of this shard were returned, so the read fails in "
        + "every mode rather than keep rows of a corrupt shard; repair or remove the object.", late.getMessage());
  }

  @Test
  void aZippedReadFailsWithTheFormatErrorItself() {
    BadShardRule failAsIs = BadShardRule.failAsIs();
    assertSame(CORRUPT, assertThrows(IOException.class, () -> failAsIs.skipOrThrow(CORRUPT, 0)));
    assertSame(MALFORMED, assertThrows(IOException.class, () -> failAsIs.skipOrThrow(MALFORMED, 7)));
  }
}
