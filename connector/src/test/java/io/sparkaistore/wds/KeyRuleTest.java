package io.sparkaistore.wds;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyRuleTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      nullValues = "NONE",
      value = {
        // member,            webdataset key, ext,       aisPython key, ext
        "a.jpg,               a,          jpg,           a,     jpg",
        "dir/a.b.jpg,         dir/a,      b.jpg,         a,     jpg",
        "x/y.seg.png,         x/y,        seg.png,       y,     png",
        "d.v1/22.0/1.1.png,   d.v1/22.0/1, 1.png,        1,     png",
        "dir1/a.JPG,          dir1/a,     JPG,           a,     JPG",
        "000123.input.json,   000123,     input.json,    000123, json",
        "a..b,                a,          .b,            a,     b",
        "a b.jpg,             a b,        jpg,           a b,   jpg",
      })
  void splitsLikeTheReferenceImplementations(
      String member, String wdsKey, String wdsExt, String aisKey, String aisExt) {
    assertArrayEquals(new String[] {wdsKey, wdsExt}, KeyRule.WEBDATASET.split(member));
    assertArrayEquals(new String[] {aisKey, aisExt}, KeyRule.AIS_PYTHON.split(member));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"README", "dir/README", "dir.v2/file", "a."})
  void namesWithoutAnExtensionBelongToNoSample(String member) {
    assertNull(KeyRule.WEBDATASET.split(member));
    assertNull(KeyRule.AIS_PYTHON.split(member));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({".hidden", "dir/.hidden.jpg"})
  void leadingDotHasNoKeyInWebDatasetButAnEmptyOneInAisPython(String member) {
    assertNull(KeyRule.WEBDATASET.split(member));
    String[] ais = KeyRule.AIS_PYTHON.split(member);
    assertArrayEquals(new String[] {"", member.substring(member.lastIndexOf('.') + 1)}, ais);
  }
}
