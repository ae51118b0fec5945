package io.sparkaistore.wds;

import static io.sparkaistore.wds.TestShards.shard;
import static io.sparkaistore.wds.TestShards.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The strict tar reader, through {@link ShardReader}: what it accepts, what it refuses, and how it
 * says so.
 */
class TarStreamTest {
  private static final byte[] TWO_MEMBERS = tarOf("a.txt", "alpha", "b.txt", "beta");

  private static byte[] tarOf(String... namesAndContents) {
    TestShards shard = shard();
    for (int i = 0; i < namesAndContents.length; i += 2) {
      shard.add(namesAndContents[i], namesAndContents[i + 1]);
    }
    try {
      return shard.tar();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every member's name and content, reading each one; fails as the reader fails. */
  private static List<String> readAll(byte[] shard, long objectSize) throws IOException {
    List<String> out = new ArrayList<>();
    try (ShardReader r =
        ShardReader.open(new ByteArrayInputStream(shard), "ais://b/s.tar", objectSize)) {
      for (ShardMember m = r.next(); m != null; m = r.next()) {
        out.add(
            m.name() + "=" + new String(m.readContent(1 << 20, r.shard()), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static WdsFormatException failure(byte[] shard) {
    return assertThrows(WdsFormatException.class, () -> readAll(shard, shard.length));
  }

  @Test
  void emptyTarsReadAsNoMembers() throws Exception {
    assertEquals(List.of(), readAll(new byte[10240], 10240)); // tar cf x.tar -T /dev/null
    assertEquals(List.of(), readAll(new byte[1024], 1024));
    assertEquals(List.of(), readAll(new byte[512], 512));
  }

  @Test
  void endOfArchiveBlocksAreOptionalAndPaddingIsIgnored() throws Exception {
    int end = 512 + 512 + 512 + 512; // two headers, two data blocks
    assertEquals(
        List.of("a.txt=alpha", "b.txt=beta"), readAll(Arrays.copyOf(TWO_MEMBERS, end), end));
    byte[] padded = Arrays.copyOf(TWO_MEMBERS, TWO_MEMBERS.length + 20480);
    assertEquals(List.of("a.txt=alpha", "b.txt=beta"), readAll(padded, padded.length));
  }

  @Test
  void dataBlockIsNeverTakenForAHeader() {
    byte[] shard = TWO_MEMBERS.clone();
    byte[] json = utf8("{\"i\": 0}");
    System.arraycopy(json, 0, shard, 1024, json.length); // the second header overwritten with data
    WdsFormatException e = failure(shard);
    assertTrue(e.isCorruptShard());
    assertEquals("a.txt", e.member());
    assertTrue(
        e.getMessage().contains("at offset 1024") && e.getMessage().contains("checksum"),
        e.getMessage());
  }

  @Test
  void everyFlippedHeaderBitFailsUnlessTheChecksumReadsTheSame() throws Exception {
    for (int bit = 0; bit < 512 * 8; bit++) {
      byte[] shard = TWO_MEMBERS.clone();
      int at = 1024 + bit / 8;
      shard[at] ^= (byte) (1 << (bit % 8));
      boolean sameChecksum =
          at >= 1024 + 148
              && at < 1024 + 156
              && TarStream.parseOctal(shard, 1024 + 148, 8)
                  == TarStream.parseOctal(TWO_MEMBERS, 1024 + 148, 8);
      if (sameChecksum) {
        // A terminator changed between space and NUL, or a leading zero into a space: nothing else
        // changed.
        assertEquals(List.of("a.txt=alpha", "b.txt=beta"), readAll(shard, shard.length));
      } else {
        assertTrue(failure(shard).isCorruptShard(), "bit " + bit);
      }
    }
  }

  @Test
  void streamEndingInsideAHeaderFailsNamingTheMemberBefore() {
    WdsFormatException e = failure(Arrays.copyOf(TWO_MEMBERS, 1024 + 100));
    assertEquals("a.txt", e.member());
    assertTrue(e.getMessage().contains("ends inside a header"), e.getMessage());
  }

  @Test
  void streamEndingInsideDataFailsNamingTheMember() {
    byte[] big = tarOf("a.bin", "x".repeat(3000));
    byte[] cut = Arrays.copyOf(big, 512 + 1000);
    WdsFormatException e = assertThrows(WdsFormatException.class, () -> readAll(cut, -1));
    assertEquals("a.bin", e.member());
    assertTrue(e.getMessage().contains("1000 of 3000"), e.getMessage());
    // With the object's size known, the header's claim is refused before the data is read.
    assertTrue(
        failure(cut)
            .getMessage()
            .contains("claims 3000 bytes of content, but the object holds only 1000"));
  }

  @Test
  void claimedSizeBeyondTheObjectFailsBeforeAnyAllocation() {
    byte[] shard = withClaimedSize(tarOf("a.bin", "x"), 250L << 20);
    WdsFormatException e = failure(shard);
    assertEquals("a.bin", e.member());
    assertTrue(e.getMessage().contains("claims 262144000 bytes"), e.getMessage());
  }

  @Test
  void claimedSizeInACompressedShardGrowsWithTheDataOnly() throws Exception {
    byte[] tar = withClaimedSize(tarOf("a.bin", "x"), 250L << 20);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GzipCompressorOutputStream out = new GzipCompressorOutputStream(gz)) {
      out.write(tar);
    }
    try (ShardReader r =
        ShardReader.open(new ByteArrayInputStream(gz.toByteArray()), "s.tgz", gz.size())) {
      ShardMember m = r.next();
      // Under the 256m limit, so read as the data arrives: the buffer never passes 1 MiB before the
      // data ends.
      WdsFormatException e =
          assertThrows(WdsFormatException.class, () -> m.readContent(256 << 20, "s.tgz"));
      assertTrue(
          e.isCorruptShard() && e.getMessage().contains("of 262144000 bytes"), e.getMessage());
    }
    try (ShardReader r =
        ShardReader.open(new ByteArrayInputStream(gz.toByteArray()), "s.tgz", gz.size())) {
      WdsFormatException e =
          assertThrows(WdsFormatException.class, () -> r.next().readContent(100 << 20, "s.tgz"));
      assertTrue(
          !e.isCorruptShard() && e.getMessage().contains("option maxMemberSize"), e.getMessage());
    }
  }

  @Test
  void linksAreSkippedAndCounted() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      addFile(tar, "s1.txt", "one");
      TarArchiveEntry symlink = new TarArchiveEntry("s1.lnk", TarConstants.LF_SYMLINK);
      symlink.setLinkName("s1.txt");
      tar.putArchiveEntry(symlink);
      tar.closeArchiveEntry();
      TarArchiveEntry hardlink = new TarArchiveEntry("s2.txt", TarConstants.LF_LINK);
      hardlink.setLinkName("s1.txt");
      tar.putArchiveEntry(hardlink);
      tar.closeArchiveEntry();
      tar.putArchiveEntry(new TarArchiveEntry("dir/"));
      tar.closeArchiveEntry();
      addFile(tar, "dir/s3.txt", "three");
    }
    try (ShardReader r = ShardReader.open(new ByteArrayInputStream(bytes.toByteArray()), "s.tar")) {
      assertEquals("s1.txt", r.next().name());
      assertEquals("dir/s3.txt", r.next().name());
      assertNull(r.next());
      assertEquals(2, r.skippedEntries());
    }
  }

  @Test
  void utf8NamesFromPaxAndGnuLongNames() throws Exception {
    String longName = "δείγμα/".repeat(20) + "ключ.txt";
    for (int mode :
        new int[] {TarArchiveOutputStream.LONGFILE_POSIX, TarArchiveOutputStream.LONGFILE_GNU}) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, "UTF-8")) {
        tar.setLongFileMode(mode);
        addFile(tar, "短.txt", "short");
        addFile(tar, longName, "long");
      }
      assertEquals(
          List.of("短.txt=short", longName + "=long"), readAll(bytes.toByteArray(), bytes.size()));
    }
  }

  @Test
  void gzipChecksumFailureAtTheEndFailsTheLastNext() throws Exception {
    byte[] tgz = shard().add("a.txt", "alpha").add("b.txt", "beta").tgz();
    tgz[tgz.length - 8] ^= 1; // the CRC-32 in the gzip trailer
    try (ShardReader r = ShardReader.open(new ByteArrayInputStream(tgz), "s.tgz", tgz.length)) {
      assertArrayEquals(utf8("alpha"), r.next().readContent(100, "s.tgz"));
      assertArrayEquals(utf8("beta"), r.next().readContent(100, "s.tgz"));
      WdsFormatException e = assertThrows(WdsFormatException.class, r::next);
      assertTrue(e.isCorruptShard());
      assertEquals("b.txt", e.member());
    }
  }

  private static void addFile(TarArchiveOutputStream tar, String name, String content)
      throws IOException {
    byte[] data = utf8(content);
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(data.length);
    tar.putArchiveEntry(entry);
    tar.write(data);
    tar.closeArchiveEntry();
  }

  /**
   * The tar with its first header's size field set to {@code size} (base-256 when octal cannot hold
   * it) and a valid checksum.
   */
  private static byte[] withClaimedSize(byte[] tar, long size) {
    byte[] out = tar.clone();
    Arrays.fill(out, 124, 136, (byte) 0);
    if (size < (1L << 33)) {
      byte[] octal = String.format("%011o", size).getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(octal, 0, out, 124, 11);
    } else {
      out[124] = (byte) 0x80;
      for (int i = 0; i < 8; i++) {
        out[135 - i] = (byte) (size >>> (8 * i));
      }
    }
    Arrays.fill(out, 148, 156, (byte) ' ');
    long sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += out[i] & 0xff;
    }
    byte[] checksum = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(checksum, 0, out, 148, 8);
    return out;
  }
}
