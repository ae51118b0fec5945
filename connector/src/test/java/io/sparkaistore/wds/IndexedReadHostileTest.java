package io.sparkaistore.wds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Reads through DALI indexes that a hostile review found to differ from streaming the same shard:
 * every case compares the rows (or the error) of an indexed read with those of the stream.
 */
class IndexedReadHostileTest {
  private static final String SHARD = "ais://b/shard.tar";
  private static final String INDEX = "ais://b/shard.tar.idx";

  /** A tar of {@code members} (name, content, ...) and, per member, {name, data offset, size}. */
  private static final class Tar {
    final byte[] bytes;
    final List<String[]> members = new ArrayList<>();

    Tar(byte[] bytes) {
      this.bytes = bytes;
    }

    Tar(String... namesAndContents) throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out, 512, "UTF-8")) {
        for (int i = 0; i < namesAndContents.length; i += 2) {
          byte[] content = namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8);
          TarArchiveEntry entry = new TarArchiveEntry(namesAndContents[i], true);
          entry.setSize(content.length);
          long offset = tar.getBytesWritten() + 512;
          tar.putArchiveEntry(entry);
          tar.write(content);
          tar.closeArchiveEntry();
          members.add(new String[] {namesAndContents[i], "" + offset, "" + content.length});
        }
      }
      this.bytes = out.toByteArray();
    }

    /** A one-line-per-member index line of member {@code i}, its name as {@code indexedName}. */
    String line(int i, String indexedName) {
      String[] m = members.get(i);
      String ext =
          indexedName.substring(indexedName.indexOf('.', indexedName.lastIndexOf('/')) + 1);
      return ext + " " + m[1] + " " + m[2] + " " + indexedName;
    }

    /** The index of every member, one sample line each (as DALI groups a run of one key). */
    byte[] index() {
      StringBuilder text = new StringBuilder("v1.2 " + members.size() + "\n");
      for (int i = 0; i < members.size(); i++) {
        text.append(line(i, members.get(i)[0])).append('\n');
      }
      return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    IndexedSampleReader.Ranges ranges() {
      return (offset, length) -> new ByteArrayInputStream(bytes, (int) offset, (int) length);
    }
  }

  /** Each sample as "key{ext=content,...}", or "error: ..." where the reader threw. */
  private static List<String> drain(SampleSource source) throws IOException {
    List<String> rows = new ArrayList<>();
    try (source) {
      for (int i = 0; i < 100; i++) {
        try {
          Sample s = source.next();
          if (s == null) {
            return rows;
          }
          StringBuilder row = new StringBuilder(s.key()).append('{');
          for (String ext : new java.util.TreeSet<>(s.extensions())) {
            byte[] content = s.get(ext);
            row.append(ext)
                .append('=')
                .append(content == null ? "-" : new String(content, StandardCharsets.UTF_8))
                .append(',');
          }
          rows.add(row.append('}').toString());
        } catch (WdsFormatException e) {
          rows.add("error: " + (e.isCorruptShard() ? "corrupt" : "malformed"));
        }
      }
    }
    throw new AssertionError("no end");
  }

  private static List<String> streamed(Tar tar, Predicate<String> keys, long maxMemberSize)
      throws IOException {
    return drain(
        new SampleReader(
                ShardReader.open(new ByteArrayInputStream(tar.bytes), SHARD, tar.bytes.length),
                KeyRule.WEBDATASET,
                true,
                e -> true,
                maxMemberSize)
            .withKeys(keys));
  }

  private static List<String> indexed(
      Tar tar, byte[] index, Predicate<String> keys, long maxMemberSize) throws IOException {
    IndexedShard parsed = IndexedShard.parse(SHARD, tar.bytes.length, INDEX, index, true);
    IndexedShard.Plan plan = parsed.plan(0, parsed.sampleCount(), keys, e -> true);
    return drain(new IndexedSampleReader(parsed, INDEX, plan, tar.ranges(), maxMemberSize));
  }

  /**
   * A member over maxMemberSize is its sample's error, and DROPMALFORMED goes on to the next
   * sample: that sample, and every later one, must still get the content of its members.
   */
  @Test
  void aMemberOverMaxMemberSizeDoesNotEmptyTheLaterSamples() throws IOException {
    Tar tar = new Tar("a.jpg", "x".repeat(100), "a.txt", "1", "b.cls", "2", "b.jpg", "yy");
    List<String> expected = streamed(tar, k -> true, 10);
    assertEquals(List.of("error: malformed", "b{cls=2,jpg=yy,}"), expected);
    assertEquals(expected, indexed(tar, tar.index(), k -> true, 10));
  }

  /**
   * DALI's wds2idx takes member names from {@code tar --list}, which escapes them: a backslash
   * doubled, and in the C locale every non-ASCII byte as {@code \ooo}. Such an index keys the
   * samples otherwise than the shard; a key filter through it would miss the sample.
   */
  @Test
  void anIndexWithGnuTarEscapedNamesIsNotUsed() throws IOException {
    Tar tar = new Tar("café.jpg", "1", "back\\slash.jpg", "2", "z.jpg", "3");
    String dali =
        "v1.2 3\n"
            + tar.line(0, "caf\\303\\251.jpg")
            + "\n"
            + tar.line(1, "back\\\\slash.jpg")
            + "\n"
            + tar.line(2, "z.jpg")
            + "\n";
    byte[] index = dali.getBytes(StandardCharsets.UTF_8);
    assertEquals(List.of("café{jpg=1,}"), streamed(tar, "café"::equals, 1 << 20));
    assertThrows(
        IndexedShard.InvalidIndexException.class,
        () -> IndexedShard.parse(SHARD, tar.bytes.length, INDEX, index, true),
        "an index whose names are not the shard's must not select samples");
  }

  /**
   * A stream raises a key that comes back, or a repeated extension, whether or not the sample is
   * wanted; in FAILFAST the read fails. Through the index it must too, not return the other rows.
   */
  @Test
  void malformedSamplesFailAKeyFilteredReadAsTheStreamDoes() throws IOException {
    Tar tar = new Tar("a.txt", "1", "b.txt", "2", "a.cls", "3", "c.txt", "4", "c.TXT", "5");
    Predicate<String> onlyB = "b"::equals;
    List<String> expected = streamed(tar, onlyB, 1 << 20);
    assertEquals(List.of("b{txt=2,}", "error: malformed", "error: malformed"), expected);
    assertEquals(expected, indexed(tar, tar.index(), onlyB, 1 << 20));
  }

  /** A size that overflows offset + size must be refused, not planned as a negative range. */
  @Test
  void anOverflowingSizeIsRefused() throws IOException {
    Tar tar = new Tar("a.jpg", "1", "b.jpg", "2");
    String hostile =
        "v1.2 2\njpg "
            + tar.members.get(0)[1]
            + " 9223372036854775800 a.jpg\n"
            + tar.line(1, "b.jpg")
            + "\n";
    assertThrows(
        IndexedShard.InvalidIndexException.class,
        () ->
            IndexedShard.parse(
                SHARD, tar.bytes.length, INDEX, hostile.getBytes(StandardCharsets.UTF_8), true));
  }

  /**
   * A keyed member the index leaves out, found inside a fetched range, is a member the stream
   * returns: the row would silently lack it.
   */
  @Test
  void aKeyedMemberMissingFromTheIndexFailsTheReadWhenItIsRead() throws IOException {
    Tar tar = new Tar("a.cls", "1", "a.txt", "hidden", "b.cls", "2");
    String partial = "v1.2 2\n" + tar.line(0, "a.cls") + "\n" + tar.line(2, "b.cls") + "\n";
    assertEquals(List.of("a{cls=1,txt=hidden,}", "b{cls=2,}"), streamed(tar, k -> true, 1 << 20));
    IOException e =
        assertThrows(
            IOException.class,
            () -> indexed(tar, partial.getBytes(StandardCharsets.UTF_8), k -> true, 1 << 20));
    assertTrue(e.getMessage().contains("useIndex false"), e.getMessage());
  }

  /**
   * A pax header names the member, whatever its ustar header says. An index read from its own
   * header would see the ustar name: refusing a true index, and passing one that names the member
   * as the ustar header does, under a key the stream never shows.
   */
  @Test
  void aPaxPathOverridesTheUstarNameThroughTheIndexToo() throws IOException {
    byte[] bytes =
        RawTar.concat(
            RawTar.pax("path", "b.jpg"),
            RawTar.file("a.jpg", "1"),
            RawTar.file("c.jpg", "2"),
            RawTar.END);
    Tar tar = new Tar(bytes);
    assertEquals(List.of("b{jpg=1,}", "c{jpg=2,}"), streamed(tar, k -> true, 1 << 20));
    long data = 3 * 512L; // after the pax header, its record and a.jpg's header
    String truthful = "v1.2 2\njpg " + data + " 1 b.jpg\njpg " + (data + 1024) + " 1 c.jpg\n";
    assertEquals(
        List.of("b{jpg=1,}"),
        indexed(tar, truthful.getBytes(StandardCharsets.UTF_8), "b"::equals, 1 << 20));
    String ustarNames = truthful.replace("b.jpg", "a.jpg");
    IOException e =
        assertThrows(
            IOException.class,
            () -> indexed(tar, ustarNames.getBytes(StandardCharsets.UTF_8), "a"::equals, 1 << 20));
    assertTrue(e.getMessage().contains("useIndex false"), e.getMessage());
  }

  /**
   * A stream ends at the first end-of-archive block, as tar does without {@code -i}: members of a
   * second archive appended after it ({@code cat a.tar b.tar}) are not the shard's, even when an
   * index lists them.
   */
  @Test
  void membersAfterTheEndOfArchiveAreNotReadThroughAnIndex() throws IOException {
    byte[] bytes =
        RawTar.concat(RawTar.file("a.jpg", "1"), RawTar.END, RawTar.file("b.jpg", "2"), RawTar.END);
    Tar tar = new Tar(bytes);
    assertEquals(List.of(), streamed(tar, "b"::equals, 1 << 20));
    String both = "v1.2 2\njpg 512 1 a.jpg\njpg " + (5 * 512) + " 1 b.jpg\n";
    IOException e =
        assertThrows(
            IOException.class,
            () -> indexed(tar, both.getBytes(StandardCharsets.UTF_8), "b"::equals, 1 << 20));
    assertTrue(e.getMessage().contains("useIndex false"), e.getMessage());
  }
}
