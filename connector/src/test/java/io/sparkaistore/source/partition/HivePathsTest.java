package io.sparkaistore.source.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HivePathsTest {
  @Test
  void escapesWhatHiveEscapesAsUpperCaseHex() {
    assertEquals("a%2Fb%3Dc%25d%3Ae", HivePaths.escape("a/b=c%d:e"));
    assertEquals("%22%23%27%2A%3F%5C%7B%5B%5D%5E%7F", HivePaths.escape("\"#'*?\\{[]^\u007f"));
    assertEquals("%00%01%0A%0D%1F", HivePaths.escape("\u0000\u0001\n\r\u001f"));
    assertEquals("x y,+-_.~}é€😀<>|", HivePaths.escape("x y,+-_.~}é€😀<>|"), "kept as they are");
  }

  @Test
  void unescapeInvertsEscapeForEveryCharacter() {
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < 256; c++) {
      all.append(c);
    }
    all.append("€😀");
    assertEquals(all.toString(), HivePaths.unescape(HivePaths.escape(all.toString())));
  }

  @Test
  void aPercentWithoutTwoHexDigitsStays() {
    assertEquals("100%", HivePaths.unescape("100%"));
    assertEquals("%zz%4", HivePaths.unescape("%zz%4"));
    assertEquals("A%", HivePaths.unescape("%41%"));
  }

  @Test
  void directoriesNameTheColumnAndTheValueNullAndEmptyAsTheDefault() {
    assertEquals("split=train/", HivePaths.directory("split", "train"));
    assertEquals("a%3Db=x%2Fy/", HivePaths.directory("a=b", "x/y"));
    assertEquals("split=__HIVE_DEFAULT_PARTITION__/", HivePaths.directory("split", null));
    assertEquals("split=__HIVE_DEFAULT_PARTITION__/", HivePaths.directory("split", ""));
    // the string itself would read back as null
    assertThrows(
        IllegalArgumentException.class,
        () -> HivePaths.directory("split", "__HIVE_DEFAULT_PARTITION__"));
    assertNull(HivePaths.value("__HIVE_DEFAULT_PARTITION__"));
    assertEquals("x/y", HivePaths.value("x%2Fy"));
  }

  @Test
  void parsesThePartitionDirectoriesOfANameInOrder() {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("year", "2024");
    expected.put("a=b", "x%2Fy");
    assertEquals(expected, HivePaths.parse("year=2024/a%3Db=x%2Fy/shard-000000.tar"));
    assertEquals(List.of("b", "a"), List.copyOf(HivePaths.parse("b=1/a=2/s.tar").keySet()));
    assertEquals(Map.of(), HivePaths.parse("shard-000000.tar"));
    assertEquals(Map.of(), HivePaths.parse("plain/dirs/s.tar"));
    assertEquals(Map.of(), HivePaths.parse("=x/y=/s.tar"), "no column or no value: not k=v");
    assertEquals(Map.of("k", "v=w"), HivePaths.parse("k=v=w/s=1.tar"), "the file name is no dir");
  }

  @Test
  void mixedOrRepeatedDirectoriesAreRefused() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> HivePaths.parse("x/split=a/s.tar"))
            .getMessage()
            .contains("mixes partition directories (col=value) with others [x]"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> HivePaths.parse("a=1/a=2/s.tar"))
            .getMessage()
            .contains("two directories of partition column 'a'"));
  }
}
