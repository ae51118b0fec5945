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
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The index {@link TarShardWriter#indexedTar} builds, against the members found by walking the
 * written tar's headers here (ustar fields and pax {@code path} records): every offset must point
 * at the member's bytes, and the index must be those members in DALI's v1.2 text, grouped into
 * samples as DALI groups them, byte for byte.
 */
class DaliIndexTest {
  /** A regular file found in the archive: its name, where its data starts, and its size. */
  private static final class Found {
    final String name;
    final long offset;
    final long size;

    Found(String name, long offset, long size) {
      this.name = name;
      this.offset = offset;
      this.size = size;
    }
  }

  @Test
  void everyEntryPointsAtItsMembersBytesAndTheTextIsDalisFormat() throws IOException {
    byte[] block = new byte[512];
    Arrays.fill(block, (byte) 'b');
    String longKey = "dir/" + "k".repeat(120);
    List<SortedMap<String, byte[]>> samples = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    keys.add("d/k1");
    samples.add(members("cls", bytes("7"), "seg.png", bytes("png!"), "txt", bytes("hello")));
    keys.add("empty");
    samples.add(members("txt", new byte[0]));
    keys.add(longKey); // a pax header before the member's own
    samples.add(members("bin", Arrays.copyOf(block, 1500)));
    keys.add("日本/é"); // non-ASCII: a pax header too
    samples.add(members("json", bytes("{}")));
    keys.add("no-members"); // every column null: not in the tar, so not in the index
    samples.add(new TreeMap<>());
    keys.add("last");
    samples.add(members("jpg", block));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DaliIndex index;
    try (TarShardWriter w = TarShardWriter.indexedTar(out)) {
      for (int i = 0; i < samples.size(); i++) {
        w.write(keys.get(i), samples.get(i));
      }
      index = w.index();
    }
    byte[] tar = out.toByteArray();
    List<Found> found = walk(tar);

    assertEquals(7, found.size());
    int f = 0;
    for (int i = 0; i < samples.size(); i++) {
      for (var m : samples.get(i).entrySet()) {
        Found member = found.get(f++);
        assertEquals(keys.get(i) + "." + m.getKey(), member.name);
        assertEquals(0, member.offset % 512, member.name);
        assertArrayEquals(
            m.getValue(),
            Arrays.copyOfRange(tar, (int) member.offset, (int) (member.offset + member.size)),
            member.name);
      }
    }
    assertEquals(5, index.samples());
    assertEquals(daliText(found), new String(index.toBytes(), StandardCharsets.UTF_8));
    assertTrue(
        new String(index.toBytes(), StandardCharsets.UTF_8)
            .startsWith("v1.2 5\ncls 512 1 d/k1.cls seg.png 1536 4 d/k1.seg.png txt 2560 5 "));
  }

  /** A shard written without an index, indexed afterwards from its bytes, as IndexShards does. */
  @Test
  void aShardReadBackGetsTheIndexItsWriterWouldHaveWritten() throws IOException {
    byte[] block = new byte[512];
    Arrays.fill(block, (byte) 'b');
    List<String> keys = List.of("d/k1", "empty", "dir/" + "k".repeat(120), "日本/é", "last");
    List<SortedMap<String, byte[]>> samples =
        List.of(
            members("cls", bytes("7"), "seg.png", bytes("png!"), "txt", bytes("hello")),
            members("txt", new byte[0]),
            members("bin", Arrays.copyOf(block, 1500)),
            members("json", bytes("{}")),
            members("jpg", block));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] written;
    try (TarShardWriter w = TarShardWriter.indexedTar(out)) {
      for (int i = 0; i < samples.size(); i++) {
        w.write(keys.get(i), samples.get(i));
      }
      written = w.index().toBytes();
    }
    byte[] tar = out.toByteArray();
    try (ShardReader reader =
        ShardReader.open(new ByteArrayInputStream(tar), "s.tar", tar.length)) {
      assertArrayEquals(written, DaliIndex.of(reader).toBytes());
    }
  }

  @Test
  void aKeyThatComesBackCannotBeIndexedAndCompressedShardsAreNotIndexed() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarShardWriter w = TarShardWriter.tar(out)) {
      w.write("a", members("txt", bytes("1")));
      w.write("b", members("txt", bytes("2")));
      w.write("a", members("cls", bytes("3")));
    }
    byte[] tar = out.toByteArray();
    try (ShardReader reader =
        ShardReader.open(new ByteArrayInputStream(tar), "s.tar", tar.length)) {
      WdsFormatException e = assertThrows(WdsFormatException.class, () -> DaliIndex.of(reader));
      assertTrue(e.getMessage().contains("Shard s.tar, member 'a.cls'"), e.getMessage());
    }
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (TarShardWriter w = TarShardWriter.tarGz(gz)) {
      w.write("a", members("txt", bytes("1")));
    }
    try (ShardReader reader =
        ShardReader.open(new ByteArrayInputStream(gz.toByteArray()), "s.tar.gz", gz.size())) {
      assertThrows(IllegalArgumentException.class, () -> DaliIndex.of(reader));
    }
  }

  @Test
  void aMemberNameWithWhitespaceCannotBeIndexed() throws IOException {
    try (TarShardWriter w = TarShardWriter.indexedTar(new ByteArrayOutputStream())) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> w.write("a b", members("txt", bytes("x"))));
      assertTrue(e.getMessage().contains("'a b.txt'"), e.getMessage());
      assertTrue(e.getMessage().contains("option shardIndex false"), e.getMessage());
    }
  }

  @Test
  void aShardWithoutMembersHasNoIndex() throws IOException {
    try (TarShardWriter w = TarShardWriter.indexedTar(new ByteArrayOutputStream())) {
      w.write("k", new TreeMap<>());
      assertEquals(0, w.index().samples());
      assertThrows(IllegalStateException.class, w.index()::toBytes);
    }
  }

  @Test
  void onlyIndexedTarsKeepAnIndex() throws IOException {
    try (TarShardWriter plain = TarShardWriter.tar(new ByteArrayOutputStream());
        TarShardWriter gz = TarShardWriter.tarGz(new ByteArrayOutputStream())) {
      assertNull(plain.index());
      assertNull(gz.index());
    }
  }

  @Test
  void anIndexIsNamedAfterItsShard() {
    assertEquals("p/shard-000000.tar.idx", DaliIndex.nameOf("p/shard-000000.tar"));
    assertTrue(DaliIndex.isIndex("p/shard-000000.tar.idx"));
    assertFalse(DaliIndex.isIndex("p/shard-000000.tar"));
  }

  /** The regular files of a ustar/pax archive, walking its headers block by block. */
  private static List<Found> walk(byte[] tar) {
    List<Found> found = new ArrayList<>();
    String paxPath = null;
    int pos = 0;
    while (pos + 512 <= tar.length && tar[pos] != 0) {
      long size = Long.parseLong(field(tar, pos + 124, 12).trim(), 8);
      char type = (char) tar[pos + 156];
      int data = pos + 512;
      if (type == 'x') {
        paxPath = paxPath(tar, data, (int) size);
      } else if (type == '0' || type == 0) {
        String name = paxPath != null ? paxPath : field(tar, pos, 100);
        found.add(new Found(name, data, size));
        paxPath = null;
      }
      pos = data + (int) ((size + 511) / 512 * 512);
    }
    return found;
  }

  private static String field(byte[] tar, int from, int length) {
    int end = from;
    while (end < from + length && tar[end] != 0) {
      end++;
    }
    return new String(tar, from, end - from, StandardCharsets.UTF_8);
  }

  /** The {@code path} of pax records "LEN key=value\n", where LEN counts bytes. */
  private static String paxPath(byte[] tar, int from, int size) {
    String path = null;
    int at = from;
    while (at < from + size) {
      int space = at;
      while (tar[space] != ' ') {
        space++;
      }
      int length = Integer.parseInt(new String(tar, at, space - at, StandardCharsets.US_ASCII));
      String record = new String(tar, space + 1, at + length - space - 2, StandardCharsets.UTF_8);
      if (record.startsWith("path=")) {
        path = record.substring("path=".length());
      }
      at += length;
    }
    return path;
  }

  /**
   * DALI's v1.2 index of {@code members}: grouped into samples while the name before the first dot
   * of the file name stays the same; per member "ext offset size name".
   */
  private static String daliText(List<Found> members) {
    List<List<String>> lines = new ArrayList<>();
    String last = null;
    for (Found m : members) {
      int dot = m.name.indexOf('.', m.name.lastIndexOf('/') + 1);
      String base = m.name.substring(0, dot);
      if (!base.equals(last)) {
        lines.add(new ArrayList<>());
        last = base;
      }
      lines
          .get(lines.size() - 1)
          .add(m.name.substring(dot + 1) + " " + m.offset + " " + m.size + " " + m.name);
    }
    StringBuilder text = new StringBuilder("v1.2 " + lines.size() + "\n");
    for (List<String> line : lines) {
      text.append(String.join(" ", line)).append('\n');
    }
    return text.toString();
  }

  private static SortedMap<String, byte[]> members(Object... extAndContent) {
    SortedMap<String, byte[]> m = new TreeMap<>();
    for (int i = 0; i < extAndContent.length; i += 2) {
      m.put((String) extAndContent[i], (byte[]) extAndContent[i + 1]);
    }
    return m;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
