package io.sparkaistore.wds;

import static io.sparkaistore.wds.RawTar.END;
import static io.sparkaistore.wds.RawTar.concat;
import static io.sparkaistore.wds.RawTar.file;
import static io.sparkaistore.wds.RawTar.header;
import static io.sparkaistore.wds.RawTar.padded;
import static io.sparkaistore.wds.RawTar.pax;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Archives that a lenient or naive reader gets wrong, each against what GNU tar and Python's
 * tarfile do.
 */
class TarEdgeCasesTest {
  private static List<String> names(byte[] shard) throws IOException {
    List<String> out = new ArrayList<>();
    try (ShardReader r = ShardReader.open(new ByteArrayInputStream(shard), "s", shard.length)) {
      for (ShardMember m = r.next(); m != null; m = r.next()) {
        m.readContent(1 << 20, "s");
        out.add(m.name());
      }
    }
    return out;
  }

  @Test
  void emptyLz4BlocksDoNotEndTheArchive() throws Exception {
    for (boolean checksum : new boolean[] {false, true}) {
      byte[] shard =
          RawTar.lz4Frame(
              checksum,
              file("a.txt", "alpha"),
              null,
              concat(file("b.txt", "beta"), file("c.txt", "gamma"), END));
      assertEquals(List.of("a.txt", "b.txt", "c.txt"), names(shard));
    }
    byte[] member = concat(header("m.txt", '0', 1000), padded(new byte[1000]));
    byte[] split =
        RawTar.lz4Frame(
            true,
            Arrays.copyOf(member, 700),
            null,
            concat(Arrays.copyOfRange(member, 700, member.length), END));
    assertEquals(List.of("m.txt"), names(split));
  }

  @Test
  void thousandsOfEmptyLz4FramesAreRead() throws Exception {
    byte[] empty = RawTar.lz4Frame(false);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < 10_000; i++) {
      out.writeBytes(empty);
    }
    out.writeBytes(RawTar.lz4Frame(false, concat(file("a.txt", "alpha"), END)));
    for (int i = 0; i < 10_000; i++) {
      out.writeBytes(empty);
    }
    assertEquals(List.of("a.txt"), names(out.toByteArray()));
  }

  @Test
  void gzipPaddedWithZerosOrInSeveralMembersIsRead() throws Exception {
    byte[] tar = concat(file("a.txt", "alpha"), file("b.txt", "beta"), END);
    assertEquals(List.of("a.txt", "b.txt"), names(concat(RawTar.gzip(tar), new byte[512])));
    byte[] members =
        concat(
            RawTar.gzip(Arrays.copyOf(tar, 1024)),
            RawTar.gzip(new byte[0]),
            RawTar.gzip(Arrays.copyOfRange(tar, 1024, tar.length)));
    assertEquals(List.of("a.txt", "b.txt"), names(members));
  }

  @Test
  void garbageAfterTheGzipStreamFails() throws Exception {
    byte[] tgz =
        concat(
            RawTar.gzip(concat(file("a.txt", "alpha"), END)),
            "garbage".getBytes(StandardCharsets.US_ASCII));
    WdsFormatException e = assertThrows(WdsFormatException.class, () -> names(tgz));
    assertEquals("a.txt", e.member());
  }

  @Test
  void streamEndingInsidePaddingIsATruncation() {
    byte[] full = concat(file("a.txt", "alpha"), file("b.txt", "beta"), END);
    byte[] cut = Arrays.copyOf(full, 512 + 5 + 100);
    assertTrue(
        assertThrows(WdsFormatException.class, () -> names(cut)).getMessage().contains("padding"));
  }

  @Test
  void paxSizeAppliesToTheMemberNotToAGnuLongName() throws Exception {
    byte[] longName = "long/name/that/is/twenty.txt\0".getBytes(StandardCharsets.UTF_8);
    byte[] shard =
        concat(
            pax("size", "5"),
            header("././@LongLink", 'L', longName.length),
            padded(longName),
            header("short", '0', 99),
            padded("HELLO".getBytes(StandardCharsets.US_ASCII)),
            END);
    assertEquals(List.of("long/name/that/is/twenty.txt"), names(shard));
  }

  @Test
  void gnuLongNameEndsAtItsFirstNul() throws Exception {
    byte[] longName = "a.jpg\0junk.txt\0".getBytes(StandardCharsets.UTF_8);
    byte[] shard =
        concat(
            header("././@LongLink", 'L', longName.length),
            padded(longName),
            header("x", '0', 3),
            padded("abc".getBytes(StandardCharsets.US_ASCII)),
            END);
    assertEquals(List.of("a.jpg"), names(shard));
  }

  @Test
  void extendedHeaderWithoutItsMemberIsATruncation() {
    byte[] shard = concat(file("a.txt", "alpha"), pax("path", "lost.txt"), END);
    assertTrue(
        assertThrows(WdsFormatException.class, () -> names(shard))
            .getMessage()
            .contains("extended header"));
  }

  /** Two Latin-1 names must not turn into one key through replacement characters. */
  @Test
  void namesThatAreNotUtf8Fail() {
    byte[] shard =
        concat(
            header(new byte[] {'c', 'a', 'f', (byte) 0xe9, '.', 'j', 'p', 'g'}, '0', 1),
            padded(new byte[] {'1'}),
            END);
    assertTrue(
        assertThrows(WdsFormatException.class, () -> names(shard))
            .getMessage()
            .contains("not UTF-8"));
  }

  @Test
  void oldStyleDirectoriesAndBlankSizesAreNotMembers() throws Exception {
    byte[] dir = header("d/", '\0', 0);
    byte[] blankSizeLink = header("l", '2', 0);
    Arrays.fill(blankSizeLink, 124, 136, (byte) 0);
    RawTar.withChecksum(blankSizeLink);
    assertEquals(List.of("d/a.txt"), names(concat(dir, blankSizeLink, file("d/a.txt", "a"), END)));
  }

  @Test
  void tarWhoseFirstNameStartsWithAnotherSignatureIsATar() throws Exception {
    assertEquals(List.of("PK\3\4.txt"), names(concat(file("PK\3\4.txt", "zip?"), END)));
  }
}
