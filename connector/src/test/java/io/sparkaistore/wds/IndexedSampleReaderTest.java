package io.sparkaistore.wds;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Reads through a DALI index ({@link IndexedShard}, {@link IndexedSampleReader}) against streaming
 * the same shard with {@link SampleReader}: the same samples and bytes for every selection, only
 * the planned ranges fetched, and an index that does not describe its shard either refused (then
 * the shard is streamed) or failing the read when a member is not where it says.
 */
class IndexedSampleReaderTest {
  private static final String SHARD = "ais://b/shard-000000.tar";
  private static final String INDEX = "ais://b/shard-000000.tar.idx";
  private static final long LIMIT = 1 << 20;

  /** A shard written by this connector, and the ranges read from it. */
  private static final class Shard {
    final byte[] tar;
    final byte[] index;
    final List<long[]> fetched = new ArrayList<>();

    Shard(byte[] tar, byte[] index) {
      this.tar = tar;
      this.index = index;
    }

    IndexedSampleReader.Ranges ranges() {
      return (offset, length) -> {
        fetched.add(new long[] {offset, length});
        return new ByteArrayInputStream(tar, (int) offset, (int) length);
      };
    }

    long bytesFetched() {
      return fetched.stream().mapToLong(r -> r[1]).sum();
    }
  }

  /** Samples k0000..k(n-1): a tiny cls, a larger jpg, every seventh a long (pax) key. */
  private static Shard shard(int n) throws IOException {
    return shard(n, "k", 300);
  }

  /** As {@link #shard(int)}, keys starting with {@code prefix}: the same sizes for any prefix. */
  private static Shard shard(int n, String prefix) throws IOException {
    return shard(n, prefix, 300);
  }

  /**
   * As {@link #shard(int, String)}, with jpg members of {@code jpgBase} bytes and up to 3,000 more.
   */
  private static Shard shard(int n, String prefix, int jpgBase) throws IOException {
    Random random = new Random(n);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DaliIndex index;
    try (TarShardWriter writer = TarShardWriter.indexedTar(out)) {
      for (int i = 0; i < n; i++) {
        byte[] jpg = new byte[jpgBase + random.nextInt(3000)];
        random.nextBytes(jpg);
        SortedMap<String, byte[]> members = new TreeMap<>();
        members.put("cls", String.valueOf(i % 10).getBytes(StandardCharsets.UTF_8));
        members.put("jpg", jpg);
        writer.write(prefix + key(i).substring(1), members);
      }
      index = writer.index();
    }
    return new Shard(out.toByteArray(), index.toBytes());
  }

  private static String key(int i) {
    return i % 7 == 3 ? "kong/" + "x".repeat(110) + i : String.format("k%04d", i);
  }

  private static List<Map<String, byte[]>> streamed(
      byte[] tar, Predicate<String> keys, Predicate<String> extensions) throws IOException {
    List<Map<String, byte[]>> samples = new ArrayList<>();
    try (SampleReader reader =
        new SampleReader(
                ShardReader.open(new ByteArrayInputStream(tar), SHARD, tar.length),
                KeyRule.WEBDATASET,
                true,
                extensions,
                LIMIT)
            .withKeys(keys)) {
      for (Sample s = reader.next(); s != null; s = reader.next()) {
        samples.add(flatten(s));
      }
    }
    return samples;
  }

  private static List<Map<String, byte[]>> indexed(
      Shard shard, int from, int to, Predicate<String> keys, Predicate<String> extensions)
      throws IOException {
    IndexedShard parsed = IndexedShard.parse(SHARD, shard.tar.length, INDEX, shard.index, true);
    IndexedShard.Plan plan = parsed.plan(from, to, keys, extensions);
    List<Map<String, byte[]>> samples = new ArrayList<>();
    try (IndexedSampleReader reader =
        new IndexedSampleReader(parsed, INDEX, plan, shard.ranges(), LIMIT)) {
      for (Sample s = reader.next(); s != null; s = reader.next()) {
        samples.add(flatten(s));
      }
    }
    return samples;
  }

  /** The key, every extension (read or not, with an empty marker) and the content read. */
  private static Map<String, byte[]> flatten(Sample s) {
    Map<String, byte[]> flat = new LinkedHashMap<>();
    flat.put("__key__", s.key().getBytes(StandardCharsets.UTF_8));
    for (String ext : s.extensions()) {
      flat.put(ext, s.get(ext) == null ? new byte[] {'-'} : s.get(ext));
    }
    return flat;
  }

  private static void assertSameSamples(
      List<Map<String, byte[]>> expected, List<Map<String, byte[]>> actual) {
    assertEquals(expected.size(), actual.size(), "samples");
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i).keySet(), actual.get(i).keySet(), "sample " + i);
      for (String column : expected.get(i).keySet()) {
        assertArrayEquals(
            expected.get(i).get(column), actual.get(i).get(column), "sample " + i + " " + column);
      }
    }
  }

  @Test
  void everySelectionGivesTheStreamsSamplesAndBytes() throws IOException {
    Shard shard = shard(200);
    Set<String> some = new HashSet<>(List.of(key(0), key(3), key(42), key(199), key(101)));
    List<Predicate<String>> keySelections =
        List.of(k -> true, some::contains, k -> k.startsWith("k01"), k -> false);
    List<Predicate<String>> extensionSelections =
        List.of(e -> true, "cls"::equals, e -> false, "jpg"::equals);
    for (Predicate<String> keys : keySelections) {
      for (Predicate<String> extensions : extensionSelections) {
        assertSameSamples(
            streamed(shard.tar, keys, extensions), indexed(shard, 0, 200, keys, extensions));
      }
    }
  }

  @Test
  void onlyTheWantedMembersAreFetched() throws IOException {
    Shard shard = shard(24, "k", 150_000); // jpgs of 150 KB: 8 samples outweigh a request
    Set<String> keys = Set.of(key(2), key(11), key(20)); // short names: no pax header
    List<Map<String, byte[]>> samples = indexed(shard, 0, 24, keys::contains, "cls"::equals);
    assertEquals(3, samples.size());
    // three members of a byte each, far apart: three ranges, each a header and a block
    assertEquals(3, shard.fetched.size());
    assertEquals(3 * 513, shard.bytesFetched());

    shard.fetched.clear();
    Set<String> neighbours = Set.of(key(11), key(12));
    assertEquals(2, indexed(shard, 0, 24, neighbours::contains, "cls"::equals).size());
    // the jpg between them is closer than a request's worth: fetched with them, in one range
    assertEquals(1, shard.fetched.size());
    assertTrue(shard.bytesFetched() < IndexedShard.REQUEST_BYTES, "" + shard.bytesFetched());

    shard.fetched.clear();
    assertEquals(
        24, indexed(shard, 0, 24, k -> true, e -> false).size(), "keys alone fetch nothing");
    assertEquals(0, shard.fetched.size());
  }

  @Test
  void slicesCoverEverySampleOnceAndReadAsTheStreamDoes() throws IOException {
    Shard shard = shard(300);
    IndexedShard parsed = IndexedShard.parse(SHARD, shard.tar.length, INDEX, shard.index, true);
    List<IndexedShard.Slice> slices = parsed.slices(64 * 1024);
    assertTrue(slices.size() > 4, "slices " + slices.size());
    List<Map<String, byte[]>> all = new ArrayList<>();
    int next = 0;
    for (IndexedShard.Slice s : slices) {
      assertEquals(next, s.from);
      assertTrue(s.bytes <= 64 * 1024 || s.to == s.from + 1, "slice bytes " + s.bytes);
      all.addAll(indexed(shard, s.from, s.to, k -> true, e -> true));
      next = s.to;
    }
    assertEquals(300, next);
    assertSameSamples(streamed(shard.tar, k -> true, e -> true), all);
  }

  @Test
  void aMemberThatIsNotWhereTheIndexSaysFailsNamingTheIndexAndTheOption() throws IOException {
    Shard shard = shard(50);
    byte[] stale = shard(50, "m").index; // another shard's, with the same offsets and sizes
    IndexedShard parsed = IndexedShard.parse(SHARD, shard.tar.length, INDEX, stale, true);
    IndexedShard.Plan plan = parsed.plan(0, 50, k -> true, e -> true);
    IOException e =
        assertThrows(
            IOException.class,
            () -> {
              try (IndexedSampleReader reader =
                  new IndexedSampleReader(parsed, INDEX, plan, shard.ranges(), LIMIT)) {
                while (reader.next() != null) {
                  // read to the mismatch
                }
              }
            });
    assertTrue(e.getMessage().contains(INDEX), e.getMessage());
    assertTrue(e.getMessage().contains("useIndex false"), e.getMessage());
  }

  @Test
  void anOffsetInsideAMembersDataFailsRatherThanPassingForACorruptShard() throws IOException {
    Shard shard = shard(30);
    String text = new String(shard.index, StandardCharsets.UTF_8);
    // k0001's jpg moved one block into its own data: no header there, a checksum mismatch
    String line = text.split("\n", -1)[2];
    String[] f = line.split(" ", -1);
    long offset = Long.parseLong(f[5]);
    long size = Long.parseLong(f[6]);
    assertTrue(size > 1024, "a jpg of more than two blocks");
    String moved =
        text.replace(
            line,
            String.join(
                " ", f[0], f[1], f[2], f[3], f[4], "" + (offset + 1024), "" + (size - 1024), f[7]));
    IndexedShard parsed =
        IndexedShard.parse(
            SHARD, shard.tar.length, INDEX, moved.getBytes(StandardCharsets.UTF_8), true);
    IndexedShard.Plan plan = parsed.plan(1, 2, k -> true, "jpg"::equals);
    try (IndexedSampleReader reader =
        new IndexedSampleReader(parsed, INDEX, plan, shard.ranges(), LIMIT)) {
      IOException e = assertThrows(IOException.class, reader::next);
      assertFalse(e instanceof WdsFormatException, "must not be skipped as a corrupt shard");
      assertTrue(e.getMessage().contains("useIndex false"), e.getMessage());
    }
  }

  @Test
  void anIndexThatDoesNotDescribeTheShardIsRefused() throws IOException {
    Shard shard = shard(20);
    String text = new String(shard.index, StandardCharsets.UTF_8);
    List<String> invalid =
        List.of(
            "v1.1 20\n" + text.substring(text.indexOf('\n') + 1), // another version
            text.replaceFirst("v1.2 20", "v1.2 21"), // a sample count that lies
            text.substring(0, text.lastIndexOf('\n', text.length() - 2) + 1)
                .replaceFirst("v1.2 20", "v1.2 19"), // the last sample left out
            text.replaceFirst(" 512 ", " 513 "), // an offset off its block
            "v1.2 1\ncls 512 1 a.cls b\n"); // not groups of four fields
    for (String index : invalid) {
      assertThrows(
          IndexedShard.InvalidIndexException.class,
          () ->
              IndexedShard.parse(
                  SHARD, shard.tar.length, INDEX, index.getBytes(StandardCharsets.UTF_8), true),
          index.substring(0, Math.min(40, index.length())));
    }
    assertThrows(
        IndexedShard.InvalidIndexException.class,
        () -> IndexedShard.parse(SHARD, shard.tar.length + 20480, INDEX, shard.index, true),
        "a shard longer than its index says");
  }

  @Test
  void malformedSamplesFailWhereTheStreamWouldAndTheReadGoesOn() throws IOException {
    // "a" comes back after "b", and "c" repeats an extension (lower-cased)
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DaliIndex index = new DaliIndex();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out, 512, "UTF-8")) {
      String[] names = {"a.txt", "b.txt", "a.cls", "c.JPG", "c.jpg", "d.txt"};
      for (String name : names) {
        byte[] content = name.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name, true);
        entry.setSize(content.length);
        long offset = tar.getBytesWritten() + 512;
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
        index.add(List.of(new DaliIndex.Member(name, offset, content.length)));
      }
    }
    Shard shard = new Shard(out.toByteArray(), index.toBytes());
    IndexedShard parsed = IndexedShard.parse(SHARD, shard.tar.length, INDEX, shard.index, true);
    IndexedShard.Plan plan = parsed.plan(0, parsed.sampleCount(), k -> true, e -> true);
    try (IndexedSampleReader reader =
        new IndexedSampleReader(parsed, INDEX, plan, shard.ranges(), LIMIT)) {
      assertEquals("a", reader.next().key());
      assertEquals("b", reader.next().key());
      WdsFormatException back = assertThrows(WdsFormatException.class, reader::next);
      assertTrue(back.getMessage().contains("comes back"), back.getMessage());
      WdsFormatException repeat = assertThrows(WdsFormatException.class, reader::next);
      assertTrue(repeat.getMessage().contains("repeats"), repeat.getMessage());
      assertEquals("d", reader.next().key());
      assertNull(reader.next());
    }
  }
}
