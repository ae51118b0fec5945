package io.sparkaistore.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PathPatternTest {
  private static List<String> selected(String pattern, List<String> names) {
    PathPattern p = PathPattern.parse(pattern);
    return names.stream().filter(p::matches).toList();
  }

  private static List<String> numbered(String format, int count) {
    return IntStream.range(0, count).mapToObj(i -> String.format(format, i)).toList();
  }

  private static String error(String pattern) {
    return assertThrows(IllegalArgumentException.class, () -> PathPattern.parse(pattern))
        .getMessage();
  }

  @Test
  void zeroPaddedRangeKeepsTheBoundsWidth() {
    List<String> names = numbered("shards/shard-%06d.tar", 120);
    assertEquals(names.subList(0, 100), selected("shards/shard-{000000..000099}.tar", names));
    assertEquals(
        "shards/shard-", PathPattern.parse("shards/shard-{000000..000099}.tar").literalPrefix());
    assertFalse(PathPattern.parse("s-{000..009}.tar").matches("s-9.tar"));
    assertFalse(PathPattern.parse("s-{000..009}.tar").matches("s-0009.tar"));
    assertTrue(PathPattern.parse("s-{000..009}.tar").matches("s-009.tar"));
  }

  @Test
  void unpaddedRangeMatchesNumbersAsWritten() {
    List<String> names = List.of("s-0", "s-5", "s-10", "s-11", "s-05", "s-010");
    assertEquals(List.of("s-0", "s-5", "s-10"), selected("s-{0..10}", names));
  }

  @Test
  void rangeStepsAsAisTemplatesDo() {
    assertEquals(List.of("s-01", "s-03", "s-05"), selected("s-{01..06..2}", numbered("s-%02d", 8)));
  }

  @Test
  void alternativesNestAndSeveralBracesMultiply() {
    List<String> names =
        List.of("train/a-1.tar", "train/a-2.tar", "val/a-1.tar", "val/b-1.tar", "test/a-1.tar");
    assertEquals(
        List.of("train/a-1.tar", "train/a-2.tar", "val/a-1.tar"),
        selected("{train,val}/a-{1..2}.tar", names));
    assertEquals(
        List.of("val/a-1.tar", "val/b-1.tar", "test/a-1.tar"),
        selected("{val/{a,b},test/a}-1.tar", names));
    assertTrue(
        PathPattern.parse("x{,-old}").matches("x")
            && PathPattern.parse("x{,-old}").matches("x-old"));
  }

  @Test
  void globsStopAtSlashes() {
    List<String> names = List.of("d/a.jpg", "d/b.png", "d/sub/c.jpg", "d/ab.jpg", "d/z.jpg");
    assertEquals(List.of("d/a.jpg", "d/ab.jpg", "d/z.jpg"), selected("d/*.jpg", names));
    assertEquals(List.of("d/a.jpg", "d/z.jpg"), selected("d/?.jpg", names));
    assertEquals(List.of("d/a.jpg", "d/b.png"), selected("d/[a-b].*", names));
    assertEquals(List.of("d/z.jpg"), selected("d/[!a-b].jpg", names));
    assertEquals(List.of("d/z.jpg"), selected("d/[^ab].jpg", names));
  }

  @Test
  void aMatchEndingAtASlashSelectsWhatIsBelowLikeADirectory() {
    List<String> names = List.of("images/1.jpg", "labels/1.txt", "other/1.txt", "images2/1.jpg");
    assertEquals(List.of("images/1.jpg", "labels/1.txt"), selected("{images,labels}/", names));
    assertEquals(List.of("images/1.jpg", "labels/1.txt"), selected("{images,labels}", names));
  }

  @Test
  void backslashMakesPatternCharactersLiteral() {
    PathPattern p = PathPattern.parse("a\\{1..2\\}\\*\\?\\[x\\]\\,\\\\.txt");
    assertFalse(p.hasWildcards());
    assertEquals("a{1..2}*?[x],\\.txt", p.literalPrefix());
    assertEquals("dir\\n", PathPattern.parse("dir\\n").literalPrefix());
    assertEquals(List.of("a{b}"), selected("[a]\\{b\\}", List.of("a{b}", "ab")));
    assertEquals(List.of("]", "-"), selected("[\\]-]", List.of("]", "-", "a")));
  }

  @Test
  void plainPrefixHasNoWildcards() {
    PathPattern p = PathPattern.parse("shards/shard-");
    assertFalse(p.hasWildcards());
    assertEquals("shards/shard-", p.literalPrefix());
    assertTrue(PathPattern.parse("a]b,c").literalPrefix().equals("a]b,c"));
  }

  @Test
  void badPatternsFailNamingWhereAndWhat() {
    assertTrue(
        error("s-{1..}.tar").contains("'{1..}' is neither a numeric range"), error("s-{1..}"));
    assertTrue(error("s-{abc}").contains("'{abc}' is neither"), error("s-{abc}"));
    assertTrue(error("s-{1..3.tar").contains("character 3"), error("s-{1..3.tar"));
    assertTrue(error("s-{a,b").contains("'{' has no closing '}'"), error("s-{a,b"));
    assertTrue(error("s-a}").contains("'}' has no opening '{'"), error("s-a}"));
    assertTrue(error("s-[ab").contains("closing ']'"), error("s-[ab"));
    assertTrue(error("s-[]").contains("closing ']'"), error("s-[]"));
    assertTrue(error("s-[z-a]").contains("runs backwards"), error("s-[z-a]"));
    assertTrue(error("s-{9..1}").contains("start <= end"), error("s-{9..1}"));
    assertTrue(error("s-{0..9..0}").contains("step of at least 1"), error("s-{0..9..0}"));
    assertTrue(error("s-{00..100}").contains("differ in width"), error("s-{00..100}"));
    assertTrue(error("s-{").contains("backslash makes a character literal"), error("s-{"));
  }

  @Test
  void aisPathKeepsPatternAndListsItsLiteralPrefix() {
    AisPath p = AisPath.parse("ais://b/shards/shard-{000..009}.tar");
    assertTrue(p.isPattern());
    assertEquals("shards/shard-", p.prefix());
    assertEquals("ais://b/shards/shard-{000..009}.tar", p.toString());
    assertTrue(p.selects("shards/shard-007.tar"));
    assertFalse(p.selects("shards/shard-010.tar"));
    AisPath escaped = AisPath.parse("ais://b/a\\[1\\].txt");
    assertFalse(escaped.isPattern());
    assertEquals("a[1].txt", escaped.prefix());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AisPath.parse("ais://b/x{1..}"));
    assertTrue(
        e.getMessage().startsWith("Invalid AIS path 'ais://b/x{1..}': bad pattern"),
        e.getMessage());
  }

  @Test
  void bracesAloneNameObjectsOneByOneAndTellWhichAreMissing() {
    PathPattern shards = PathPattern.parse("s/{train,val}-{08..12..2}.tar");
    assertTrue(shards.isExplicit());
    assertFalse(PathPattern.parse("s/{a,b}*.tar").isExplicit());
    assertFalse(PathPattern.parse("s/{a,[bc]}.tar").isExplicit());
    assertFalse(PathPattern.parse("s/plain").isExplicit());
    assertEquals(
        List.of("s/train-08.tar", "s/train-12.tar", "s/val-10.tar"),
        shards.missing(Set.of("s/train-10.tar", "s/val-08.tar", "s/val-12.tar"), 5));
    assertEquals(List.of("s/train-08.tar"), shards.missing(Set.of(), 1));
    PathPattern dirs = PathPattern.parse("{images,labels}/");
    assertEquals("images/", dirs.matchedPart("images/1.jpg"));
    assertEquals("s/train-08.tar", shards.matchedPart("s/train-08.tar"));
    assertEquals(null, shards.matchedPart("s/train-09.tar"));
    assertEquals(List.of("labels/"), dirs.missing(Set.of("images/"), 5));
  }
}
