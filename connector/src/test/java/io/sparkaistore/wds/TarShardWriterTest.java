package io.sparkaistore.wds;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;

/**
 * The writer's bytes against archives assembled here field by field from the POSIX ustar and pax
 * layouts (octal numbers, header checksums, 512-byte padding, two zero blocks at the end), so that
 * any change in what a shard looks like on disk, including from a new commons-compress, shows up
 * here.
 */
class TarShardWriterTest {
  private static final byte[] END = new byte[1024];

  @Test
  void anEmptyShardIsTheTwoEndBlocks() throws IOException {
    assertArrayEquals(END, tar());
  }

  @Test
  void aSampleIsItsMembersInExtensionOrderWithFixedHeaders() throws IOException {
    byte[] written = tar(sample("d/k1", "txt", "hello", "cls", "7"));
    byte[] expected =
        concat(member("d/k1.cls", bytes("7")), member("d/k1.txt", bytes("hello")), END);
    assertArrayEquals(expected, written);
  }

  @Test
  void contentIsPaddedToWholeBlocksOnlyWhenItEndsInsideOne() throws IOException {
    byte[] block = new byte[512];
    Arrays.fill(block, (byte) 'a');
    byte[] blockAndOne = Arrays.copyOf(block, 513);
    byte[] written = tar(members("a", new byte[0], "b", block, "c", blockAndOne));
    byte[] expected =
        concat(member("k.a", new byte[0]), member("k.b", block), member("k.c", blockAndOne), END);
    assertEquals(512 + 2 * 512 + 3 * 512 + 1024, expected.length);
    assertArrayEquals(expected, written);
  }

  @Test
  void samplesFollowInTheOrderWritten() throws IOException {
    byte[] written = tar(sample("b", "txt", "1"), sample("a", "txt", "2"));
    assertArrayEquals(
        concat(member("b.txt", bytes("1")), member("a.txt", bytes("2")), END), written);
  }

  @Test
  void aNonAsciiNameGetsAPaxPathRecordAndItsUtf8BytesInTheHeader() throws IOException {
    byte[] written = tar(sample("é/日本", "txt", "x"));
    byte[] expected = concat(paxPath("é/日本.txt"), member("é/日本.txt", bytes("x")), END);
    assertArrayEquals(expected, written);
  }

  @Test
  void aNameOfHundredBytesOrMoreGetsAPaxPathRecordAndItsFirstHundredBytesInTheHeader()
      throws IOException {
    String fits = "k".repeat(95); // 99 bytes with ".txt"
    String long1 = "k".repeat(96); // 100 bytes
    String long2 = "d/".repeat(60) + "k"; // 125 bytes: a record whose length has three digits
    byte[] written =
        tar(sample(fits, "txt", "1"), sample(long1, "txt", "2"), sample(long2, "txt", "3"));
    byte[] expected =
        concat(
            member(fits + ".txt", bytes("1")),
            paxPath(long1 + ".txt"),
            member(long1 + ".txt", bytes("2")),
            paxPath(long2 + ".txt"),
            member(long2 + ".txt", bytes("3")),
            END);
    assertArrayEquals(expected, written);
  }

  @Test
  void tarSizeIsExactWithoutPaxHeadersAndAnUpperBoundWithThem() {
    SortedMap<String, byte[]> m =
        members("cls", bytes("7"), "jpg", new byte[1000], "txt", new byte[0]);
    assertEquals(512 + 512 + 512 + 1024 + 512, TarShardWriter.tarSize("k", m));
    for (String key : new String[] {"é", "k".repeat(96), "k".repeat(5000)}) {
      long exact = (long) paxPath(key + ".txt").length + member(key + ".txt", bytes("1")).length;
      long estimate = TarShardWriter.tarSize(key, members("txt", bytes("1")));
      assertTrue(
          estimate >= exact && estimate <= exact + 512,
          key.length() + ": " + estimate + " vs " + exact);
    }
  }

  @Test
  void aGzShardIsTheSameTarGzippedWithoutTimeOrName() throws IOException {
    SortedMap<String, byte[]> m = members("txt", bytes("hello"), "cls", bytes("7"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarShardWriter w = TarShardWriter.tarGz(out)) {
      w.write("k", m);
    }
    byte[] gz = out.toByteArray();
    // ID1 ID2, deflate, no flags (so no file name), MTIME 0
    assertArrayEquals(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0}, Arrays.copyOf(gz, 8));
    try (GzipCompressorInputStream in =
        new GzipCompressorInputStream(new ByteArrayInputStream(gz))) {
      assertArrayEquals(tar(m), in.readAllBytes());
    }
  }

  @Test
  void countsTheSamplesWritten() throws IOException {
    try (TarShardWriter w = TarShardWriter.tar(new ByteArrayOutputStream())) {
      w.write("a", members("txt", bytes("1")));
      w.write("b", members("txt", bytes("2")));
      assertEquals(2, w.samples());
    }
  }

  /** A sample written alone: key and extension-content pairs. */
  private static Sample sample(String key, String... extensionsAndContents) {
    SortedMap<String, byte[]> m = new TreeMap<>();
    for (int i = 0; i < extensionsAndContents.length; i += 2) {
      m.put(extensionsAndContents[i], bytes(extensionsAndContents[i + 1]));
    }
    return new Sample(key, m);
  }

  private record Sample(String key, SortedMap<String, byte[]> members) {}

  private static SortedMap<String, byte[]> members(Object... extensionsAndContents) {
    SortedMap<String, byte[]> m = new TreeMap<>();
    for (int i = 0; i < extensionsAndContents.length; i += 2) {
      m.put((String) extensionsAndContents[i], (byte[]) extensionsAndContents[i + 1]);
    }
    return m;
  }

  private static byte[] tar(SortedMap<String, byte[]> members) throws IOException {
    return tar(new Sample("k", members));
  }

  private static byte[] tar(Sample... samples) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarShardWriter w = TarShardWriter.tar(out)) {
      for (Sample s : samples) {
        w.write(s.key(), s.members());
      }
    }
    return out.toByteArray();
  }

  /** A regular file: its ustar header (mode 0444, time 0, owner bigdata) and its content padded. */
  private static byte[] member(String name, byte[] content) {
    byte[] h = header(name.getBytes(StandardCharsets.UTF_8), 0444, content.length, '0', "bigdata");
    return concat(h, padded(content));
  }

  /**
   * The pax extended header that carries {@code name}: one record "LEN path=NAME\n", where LEN
   * counts the whole record, its own digits included. commons-compress names the header
   * "./PaxHeaders.X/" plus the member name with each char cut to 7 bits and NUL, '/' and '\\' as
   * '_', at most 99 chars; readers ignore that name.
   */
  private static byte[] paxPath(String name) {
    int rest = (" path=" + name + "\n").getBytes(StandardCharsets.UTF_8).length;
    int length = rest + 1;
    while (length != rest + String.valueOf(length).length()) {
      length++;
    }
    byte[] record = (length + " path=" + name + "\n").getBytes(StandardCharsets.UTF_8);
    assertEquals(length, record.length);
    StringBuilder headerName = new StringBuilder("./PaxHeaders.X/");
    for (int i = 0; i < name.length(); i++) {
      char low = (char) (name.charAt(i) & 0x7f);
      headerName.append(low == 0 || low == '/' || low == '\\' ? '_' : low);
    }
    String cut = headerName.substring(0, Math.min(99, headerName.length()));
    return concat(
        header(cut.getBytes(StandardCharsets.US_ASCII), 0100644, record.length, 'x', ""),
        padded(record));
  }

  /**
   * A ustar header: numbers in zero-padded octal followed by a space, the checksum as six octal
   * digits, NUL and space, computed over the header with the checksum field as spaces.
   */
  private static byte[] header(byte[] name, int mode, long size, char type, String owner) {
    byte[] h = new byte[512];
    System.arraycopy(name, 0, h, 0, Math.min(100, name.length));
    put(h, 100, String.format("%07o ", mode));
    put(h, 108, "0000000 "); // uid
    put(h, 116, "0000000 "); // gid
    put(h, 124, String.format("%011o ", size));
    put(h, 136, "00000000000 "); // mtime
    h[156] = (byte) type;
    put(h, 257, "ustar\0");
    put(h, 263, "00");
    put(h, 265, owner); // uname
    put(h, 297, owner); // gname
    put(h, 329, "0000000 "); // devmajor
    put(h, 337, "0000000 "); // devminor
    Arrays.fill(h, 148, 156, (byte) ' ');
    int sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, String.format("%06o\0 ", sum));
    return h;
  }

  private static void put(byte[] h, int offset, String ascii) {
    byte[] b = ascii.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, offset, b.length);
  }

  private static byte[] padded(byte[] data) {
    return Arrays.copyOf(data, (data.length + 511) / 512 * 512);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
