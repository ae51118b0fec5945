package io.sparkaistore.wds;

import static io.sparkaistore.wds.TestShards.shard;
import static io.sparkaistore.wds.TestShards.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ZipStreamTest {
  private static final byte[] DESCRIPTOR_SIGNATURE = {'P', 'K', 7, 8};
  private static final byte[] LOCAL_SIGNATURE = {'P', 'K', 3, 4};

  // ---- round trips -------------------------------------------------------------------------

  @Test
  void commonsCompressStreamZipRoundTrips() throws Exception {
    Map<String, byte[]> members = members();
    TestShards shard = shard().dir("dir");
    members.forEach(shard::add);
    byte[] zip = shard.zip(); // deflated, sizes in data descriptors
    assertSameMembers(members, readAll(zip));
    try (ShardReader r = open(zip)) {
      ShardMember first = r.next();
      assertEquals(-1, first.size());
      assertFalse(first.sizeVerified());
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {ZipEntry.STORED, ZipEntry.DEFLATED})
  void commonsCompressSeekableZipRoundTrips(int method) throws Exception {
    Map<String, byte[]> members = members();
    SeekableInMemoryByteChannel channel = new SeekableInMemoryByteChannel();
    try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(channel)) {
      out.setMethod(method);
      write(out, members);
    }
    byte[] zip = Arrays.copyOf(channel.array(), (int) channel.size());
    assertSameMembers(members, readAll(zip));
    try (ShardReader r = open(zip)) {
      ShardMember first = r.next();
      // Sizes in the local header.
      assertEquals(members.values().iterator().next().length, first.size());
      assertEquals(method == ZipEntry.STORED, first.sizeVerified());
    }
  }

  @Test
  void zip64RoundTrips() throws Exception {
    Map<String, byte[]> members = members();
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(stream)) {
      out.setUseZip64(Zip64Mode.Always); // 64-bit data descriptors, ZIP64 end records
      write(out, members);
    }
    byte[] zip = stream.toByteArray();
    assertTrue(indexOf(zip, new byte[] {'P', 'K', 6, 6}) > 0, "a ZIP64 end record");
    assertSameMembers(members, readAll(zip));
    SeekableInMemoryByteChannel channel = new SeekableInMemoryByteChannel();
    try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(channel)) {
      out.setUseZip64(Zip64Mode.Always); // sizes in ZIP64 extra fields of the local headers
      out.setMethod(ZipEntry.STORED);
      write(out, members);
    }
    assertSameMembers(members, readAll(Arrays.copyOf(channel.array(), (int) channel.size())));
  }

  @Test
  void javaUtilZipRoundTrips() throws Exception {
    Map<String, byte[]> members = members();
    for (int method : new int[] {ZipEntry.STORED, ZipEntry.DEFLATED}) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ZipOutputStream out = new ZipOutputStream(bytes)) {
        for (Map.Entry<String, byte[]> m : members.entrySet()) {
          ZipEntry e = new ZipEntry(m.getKey());
          if (method == ZipEntry.STORED) { // known sizes; deflated entries get data descriptors
            e.setMethod(ZipEntry.STORED);
            e.setSize(m.getValue().length);
            e.setCrc(crc(m.getValue()));
          }
          out.putNextEntry(e);
          out.write(m.getValue());
          out.closeEntry();
        }
      }
      assertSameMembers(members, readAll(bytes.toByteArray()), "method " + method);
    }
  }

  @ParameterizedTest
  @EnumSource(Descriptor.class)
  void handBuiltZipsRoundTrip(Descriptor descriptor) throws Exception {
    Map<String, byte[]> members = members();
    for (int method : new int[] {0, 8}) {
      HandZip zip = new HandZip();
      members.forEach((name, content) -> zip.add(name, method, descriptor, content));
      byte[] bytes = zip.finish();
      // No writer makes these, and their end cannot be found.
      if (method == 0 && descriptor == Descriptor.UNSIGNED) {
        assertNotNull(attempt(bytes).error);
      } else {
        assertSameMembers(members, readAll(bytes), method + " " + descriptor);
      }
    }
  }

  @Test
  void storedMembersWithDescriptorsEndWhereTheDescriptorMatches() throws Exception {
    Map<String, byte[]> members = new LinkedHashMap<>();
    members.put("signature.bin", concat(utf8("abc"), DESCRIPTOR_SIGNATURE, utf8("def")));
    members.put("signature-at-end.bin", concat(utf8("abc"), DESCRIPTOR_SIGNATURE));
    members.put(
        "empty-descriptor.bin",
        descriptor(new byte[0], false)); // the descriptor an empty member would have
    members.put("descriptor-then-data.bin", concat(descriptor(utf8("x"), false), utf8("y")));
    members.put(
        "own-descriptor.bin",
        concat(utf8("x"), descriptor(utf8("x"), false))); // matches, but no header follows
    members.put("many-signatures.bin", signatureLaden(300_000));
    members.put("empty.bin", new byte[0]);
    for (Descriptor d : new Descriptor[] {Descriptor.SIGNED, Descriptor.SIGNED_ZIP64}) {
      HandZip zip = new HandZip();
      members.forEach((name, content) -> zip.add(name, 0, d, content));
      byte[] bytes = zip.finish();
      assertSameMembers(members, readAll(bytes), d.toString());
      assertSameMembers(
          members, readAll(new TrickleInputStream(bytes)), d + " read a few bytes at a time");
      assertSameMembers(members, readInSmallChunks(bytes), d + " read in small chunks");
    }
  }

  @Test
  void storedMemberHoldingAMatchingDescriptorAndHeaderFailsRatherThanEndingEarly()
      throws Exception {
    // A descriptor for "abc" followed by a local header signature, inside the data:
    // indistinguishable from the end while streaming, so the member ends there; what follows must
    // then fail to parse.
    byte[] content =
        concat(
            utf8("abc"), descriptor(utf8("abc"), false), LOCAL_SIGNATURE, utf8("rest of the data"));
    byte[] zip =
        new HandZip()
            .add("x.bin", 0, Descriptor.SIGNED, content)
            .add("y.bin", 0, Descriptor.SIGNED, utf8("y"))
            .finish();
    Outcome outcome = attempt(zip);
    assertNotNull(outcome.error);
    assertTrue(outcome.error.isCorruptShard());
  }

  @ParameterizedTest
  @EnumSource(Descriptor.class)
  void descriptorOfDataWhoseCrcIsTheSignatureIsRead(Descriptor descriptor) throws Exception {
    // The descriptor's first two words are then equal.
    byte[] content = withCrc(utf8("some data"), 0x08074b50L);
    assertEquals(0x08074b50L, crc(content));
    Map<String, byte[]> members = new LinkedHashMap<>();
    members.put("a.bin", content);
    members.put("b.bin", content);
    for (int method : new int[] {0, 8}) {
      if (method == 0 && descriptor == Descriptor.UNSIGNED) {
        continue;
      }
      HandZip zip = new HandZip();
      members.forEach((name, data) -> zip.add(name, method, descriptor, data));
      assertSameMembers(members, readAll(zip.finish()), method + " " + descriptor);
    }
  }

  @Test
  void namesAreUtf8WithFlagBit11AndCp437Without() throws Exception {
    byte[] zip =
        new HandZip()
            .add(
                "\u00e9t\u00e9/\u65e5\u672c.txt".getBytes(StandardCharsets.UTF_8),
                0x0800,
                0,
                Descriptor.NONE,
                utf8("u"))
            .add(
                new byte[] {'c', (byte) 0x82, (byte) 0xe1, '.', 't', 'x', 't'},
                0,
                0,
                Descriptor.NONE,
                utf8("c"))
            .finish();
    try (ShardReader r = open(zip)) {
      assertEquals(
          "\u00e9t\u00e9/\u65e5\u672c.txt",
          r.next().name()); // explicit charsets, whatever file.encoding says
      assertEquals("c\u00e9\u00df.txt", r.next().name());
      assertNull(r.next());
    }
  }

  @Test
  void unicodePathExtraFieldNamesTheEntry() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(bytes)) {
      out.setEncoding("CP437"); // the raw name becomes "??.txt"; the extra field keeps the real one
      out.setUseLanguageEncodingFlag(false);
      out.setCreateUnicodeExtraFields(ZipArchiveOutputStream.UnicodeExtraFieldPolicy.ALWAYS);
      out.putArchiveEntry(new ZipArchiveEntry("\u65e5\u672c.txt"));
      out.write(utf8("x"));
      out.closeArchiveEntry();
    }
    Map<String, byte[]> expected = Map.of("\u65e5\u672c.txt", utf8("x"));
    assertSameMembers(expected, readAll(bytes.toByteArray()));
  }

  @Test
  void malformedUtf8NameIsAnError() throws Exception {
    byte[] zip =
        new HandZip()
            .add(new byte[] {'a', (byte) 0xff, 'b'}, 0x0800, 0, Descriptor.NONE, utf8("x"))
            .finish();
    assertTrue(attempt(zip).error.getMessage().contains("not valid UTF-8"));
  }

  @Test
  void directoriesArePassedAndMembersKeepTheirOffsets() throws Exception {
    HandZip zip =
        new HandZip()
            .add("d/", 0, Descriptor.NONE, new byte[0])
            .add("d/a.txt", 8, Descriptor.SIGNED, utf8("a"));
    byte[] bytes = zip.finish();
    try (ShardReader r = open(bytes)) {
      ShardMember a = r.next();
      assertEquals("d/a.txt", a.name());
      assertEquals(zip.headerOffsets.get(1), a.offset());
      assertNull(r.next());
      assertEquals(0, r.skippedEntries());
    }
  }

  @Test
  void emptyZipIsAnEmptyArchive() throws Exception {
    byte[] empty = new HandZip().finish();
    assertEquals(22, empty.length);
    assertSameMembers(Map.of(), readAll(empty));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new ZipOutputStream(bytes).close();
    assertSameMembers(Map.of(), readAll(bytes.toByteArray()));
  }

  // ---- corruption --------------------------------------------------------------------------

  @Test
  void localHeaderSignatureAloneIsAnError() {
    WdsFormatException e = attempt(LOCAL_SIGNATURE).error;
    assertTrue(e.isCorruptShard());
    assertTrue(e.getMessage().contains("at offset 0"), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(
      value = Descriptor.class,
      names = {"NONE", "SIGNED", "SIGNED_ZIP64"})
  void everyBitFlipInStoredDataFails(Descriptor descriptor) throws Exception {
    byte[] content = randomBytes(64, 1);
    HandZip zip =
        new HandZip().add("a.bin", 0, descriptor, content).add("b.bin", 0, descriptor, utf8("b"));
    byte[] bytes = zip.finish();
    long start = zip.dataOffsets.get(0);
    for (long bit = start * 8; bit < (start + content.length) * 8; bit++) {
      Outcome outcome = attempt(flip(bytes, bit));
      assertNotNull(outcome.error, "bit " + bit);
      assertNull(outcome.members.get("a.bin"), "bit " + bit); // the member's read itself failed
    }
  }

  @ParameterizedTest
  @EnumSource(Descriptor.class)
  void everyBitFlipInDeflatedDataFailsOrChangesNothing(Descriptor descriptor) throws Exception {
    byte[] content =
        utf8(
            "the quick brown fox jumps over the lazy dog; the quick brown fox jumps again "
                .repeat(20));
    HandZip zip =
        new HandZip().add("a.txt", 8, descriptor, content).add("b.txt", 8, descriptor, utf8("b"));
    byte[] bytes = zip.finish();
    long start = zip.dataOffsets.get(0);
    long end = zip.dataOffsets.get(0) + zip.compressedSizes.get(0);
    for (long bit = start * 8; bit < end * 8; bit++) {
      Outcome outcome = attempt(flip(bytes, bit));
      // Only bits inflate never reads: the padding after the last block.
      if (outcome.error == null) {
        assertEquals(end - 1, bit / 8, "bit " + bit + " flipped silently");
        assertArrayEquals(content, outcome.members.get("a.txt"));
      }
      byte[] read = outcome.members.get("a.txt");
      assertTrue(
          read == null || Arrays.equals(content, read), "bit " + bit + " altered the content");
    }
  }

  @Test
  void everyBitFlipAnywhereFailsOrChangesNothing() throws Exception {
    Map<String, byte[]> members = new LinkedHashMap<>();
    members.put("a.txt", utf8("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
    members.put("b.bin", randomBytes(40, 2));
    List<byte[]> zips = new ArrayList<>();
    zips.add(
        new HandZip()
            .add("a.txt", 8, Descriptor.SIGNED, members.get("a.txt"))
            .add("b.bin", 0, Descriptor.SIGNED, members.get("b.bin"))
            .finish());
    zips.add(
        new HandZip()
            .add("a.txt", 8, Descriptor.NONE, members.get("a.txt"))
            .add("b.bin", 0, Descriptor.NONE, members.get("b.bin"))
            .finish());
    for (byte[] zip : zips) {
      for (long bit = 0; bit < zip.length * 8L; bit++) {
        Outcome outcome = attempt(flip(zip, bit));
        if (outcome.error == null) {
          assertSameMembers(members, outcome.members, "bit " + bit);
        }
        String message = "bit " + bit + " altered a member";
        outcome.members.forEach(
            (name, content) ->
                assertTrue(
                    !members.containsKey(name) || Arrays.equals(members.get(name), content),
                    message));
      }
    }
  }

  @Test
  void crcMismatchFailsEvenWhenTheMemberIsSkipped() throws Exception {
    HandZip zip =
        new HandZip()
            .add("a.bin", 0, Descriptor.NONE, utf8("hello"))
            .add("b.bin", 0, Descriptor.NONE, utf8("b"));
    byte[] bytes = zip.finish();
    bytes[(int) (long) zip.dataOffsets.get(0)] ^= 1;
    try (ShardReader r = open(bytes)) {
      assertEquals("a.bin", r.next().name());
      WdsFormatException e = assertThrows(WdsFormatException.class, r::next);
      assertEquals("a.bin", e.member());
      assertTrue(e.getMessage().contains("CRC-32 mismatch"), e.getMessage());
    }
  }

  @Test
  void localHeaderSizesThatDisagreeWithTheCentralDirectoryFail() throws Exception {
    // The local header claims 3 of the 5 bytes, with their CRC: self-consistent, so only the
    // central directory can tell.
    HandZip zip = new HandZip().add("a.bin", 0, Descriptor.NONE, utf8("hello"));
    byte[] bytes = zip.finish();
    ByteBuffer local = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    local.putInt(14, (int) crc(utf8("hel"))).putInt(18, 3).putInt(22, 3);
    Outcome outcome = attempt(bytes);
    assertNotNull(outcome.error);
    assertTrue(outcome.error.isCorruptShard());

    byte[] central = new HandZip().add("a.bin", 0, Descriptor.NONE, utf8("hello")).finish();
    int header = indexOf(central, new byte[] {'P', 'K', 1, 2});
    ByteBuffer.wrap(central).order(ByteOrder.LITTLE_ENDIAN).putInt(header + 24, 6);
    WdsFormatException e = attempt(central).error;
    assertEquals("a.bin", e.member());
    assertTrue(
        e.getMessage()
            .contains(
                "central directory header at offset "
                    + header
                    + " says size 6, the local entry at "
                    + "offset 0 says 5"),
        e.getMessage());
  }

  @Test
  void centralDirectoryMustListEveryLocalEntry() throws Exception {
    byte[] one = new HandZip().add("a", 0, Descriptor.NONE, utf8("a")).finish();
    byte[] two =
        new HandZip()
            .add("a", 0, Descriptor.NONE, utf8("a"))
            .add("b", 0, Descriptor.NONE, utf8("b"))
            .finish();
    int localEnd = indexOf(two, new byte[] {'P', 'K', 1, 2});
    int oneCentral = indexOf(one, new byte[] {'P', 'K', 1, 2});
    byte[] missing =
        concat(Arrays.copyOf(two, localEnd), Arrays.copyOfRange(one, oneCentral, one.length));
    assertNotNull(attempt(missing).error);
  }

  @Test
  void truncationAtEveryOffsetFails() throws Exception {
    Map<String, byte[]> members = new LinkedHashMap<>();
    members.put("a.txt", utf8("alpha alpha alpha"));
    members.put("b.bin", randomBytes(30, 3));
    members.put("c.txt", new byte[0]);
    List<byte[]> zips = new ArrayList<>();
    TestShards shard = shard();
    members.forEach(shard::add);
    zips.add(shard.zip());
    HandZip stored = new HandZip();
    members.forEach((name, content) -> stored.add(name, 0, Descriptor.SIGNED, content));
    zips.add(stored.finish());
    HandZip known = new HandZip();
    members.forEach((name, content) -> known.add(name, 8, Descriptor.NONE, content));
    zips.add(known.finish());
    for (byte[] zip : zips) {
      assertSameMembers(members, readAll(zip));
      for (int cut = 0; cut < zip.length; cut++) {
        Outcome outcome = attempt(Arrays.copyOf(zip, cut));
        String message = "cut at " + cut;
        assertNotNull(outcome.error, message);
        outcome.members.forEach(
            (name, content) -> assertArrayEquals(members.get(name), content, message));
      }
    }
  }

  @Test
  void storedSizeBeyondTheObjectFailsAtOnce() throws Exception {
    byte[] zip = new HandZip().add("a.bin", 0, Descriptor.NONE, utf8("hello")).finish();
    try (ShardReader r = ShardReader.open(new ByteArrayInputStream(zip), "s.zip", 38)) {
      WdsFormatException e = assertThrows(WdsFormatException.class, r::next);
      assertTrue(
          e.getMessage().contains("claims 5 bytes of data, but the object holds only 3 more"),
          e.getMessage());
    }
    try (ShardReader r = ShardReader.open(new ByteArrayInputStream(zip), "s.zip", zip.length)) {
      assertTrue(r.next().sizeVerified());
    }
  }

  @Test
  void dataAfterTheEndRecordFails() throws Exception {
    byte[] zip = shard().add("a.txt", "a").zip();
    assertTrue(
        attempt(concat(zip, new byte[] {0}))
            .error
            .getMessage()
            .contains("data after the end of the archive"));
    assertNotNull(attempt(concat(zip, zip)).error);
  }

  @Test
  void unsupportedMethodIsNamed() throws Exception {
    byte[] zip = new HandZip().add("a.bz2", 12, Descriptor.NONE, utf8("not really bzip2")).finish();
    WdsFormatException e = attempt(zip).error;
    assertEquals("a.bz2", e.member());
    assertTrue(e.getMessage().contains("compression method 12"), e.getMessage());
    assertTrue(
        e.getMessage().contains("rewrite the shard with stored (0) or deflated (8) members"),
        e.getMessage());
  }

  @Test
  void encryptedMemberIsAnError() throws Exception {
    byte[] zip =
        new HandZip()
            .add("a.bin".getBytes(StandardCharsets.US_ASCII), 1, 0, Descriptor.NONE, utf8("x"))
            .finish();
    assertTrue(attempt(zip).error.getMessage().contains("encrypted"));
  }

  @Test
  void symbolicLinkFailsAtTheCentralDirectory() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(bytes)) {
      ZipArchiveEntry link = new ZipArchiveEntry("link.txt");
      link.setUnixMode(0120777);
      out.putArchiveEntry(link);
      out.write(utf8("target.txt"));
      out.closeArchiveEntry();
    }
    WdsFormatException e = attempt(bytes.toByteArray()).error;
    assertEquals("link.txt", e.member());
    assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
  }

  @Test
  void passedOverContentCannotBeRead() throws Exception {
    try (ShardReader r = open(shard().add("a.txt", "a").add("b.txt", "b").zip())) {
      ShardMember a = r.next();
      r.next();
      // A caller's bug, not corruption.
      assertThrows(IllegalStateException.class, () -> a.content().read());
    }
  }

  @Test
  void corruptionIsFinal() throws Exception {
    HandZip zip =
        new HandZip()
            .add("a.bin", 0, Descriptor.NONE, utf8("hello"))
            .add("b.bin", 0, Descriptor.NONE, utf8("b"));
    byte[] bytes = zip.finish();
    bytes[(int) (long) zip.dataOffsets.get(0)] ^= 1;
    try (ShardReader r = open(bytes)) {
      ShardMember a = r.next();
      WdsFormatException first =
          assertThrows(WdsFormatException.class, () -> a.content().readAllBytes());
      assertEquals(first, assertThrows(WdsFormatException.class, r::next));
    }
  }

  @Test
  void failureOfTheSourceIsNotCorruption() throws Exception {
    IOException network = new IOException("connection reset");
    InputStream failing =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw network;
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            throw network;
          }
        };
    byte[] zip = shard().add("a.bin", randomBytes(10_000, 4)).zip();
    InputStream source = new SequenceInputStream(new ByteArrayInputStream(zip, 0, 5000), failing);
    try (ShardReader r = ShardReader.open(source, "s.zip")) {
      ShardMember a = r.next();
      assertEquals(network, assertThrows(IOException.class, () -> a.content().readAllBytes()));
    }
  }

  // ---- helpers -----------------------------------------------------------------------------

  /** How the hand-built zip gives a member's CRC-32 and sizes. */
  enum Descriptor {
    NONE, // in the local header
    SIGNED, // in a data descriptor with its signature (Python's zipfile, Java, commons-compress)
    UNSIGNED, // in a data descriptor without one (allowed for deflated members)
    SIGNED_ZIP64 // in a 64-bit descriptor, the local header having a ZIP64 extra field
  }

  /**
   * Writes zips byte by byte: local headers, data and descriptors as asked, then a central
   * directory and end record with the true values. Records where each header and each member's data
   * start.
   */
  static final class HandZip {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream central = new ByteArrayOutputStream();
    final List<Long> headerOffsets = new ArrayList<>();
    final List<Long> dataOffsets = new ArrayList<>();
    final List<Long> compressedSizes = new ArrayList<>();

    HandZip add(String name, int method, Descriptor descriptor, byte[] content) {
      int utf8 = name.chars().allMatch(c -> c < 0x80) ? 0 : 0x0800;
      return add(name.getBytes(StandardCharsets.UTF_8), utf8, method, descriptor, content);
    }

    HandZip add(byte[] name, int flags, int method, Descriptor descriptor, byte[] content) {
      byte[] data = method == 8 ? deflate(content) : content;
      long crc = crc(content);
      boolean unknown = descriptor != Descriptor.NONE;
      byte[] extra =
          descriptor == Descriptor.SIGNED_ZIP64 ? le(2, 1, 2, 16, 8, 0, 8, 0) : new byte[0];
      long offset = out.size();
      headerOffsets.add(offset);
      int allFlags = flags | (unknown ? 8 : 0);
      out.writeBytes(
          le(
              4,
              0x04034b50L,
              2,
              20,
              2,
              allFlags,
              2,
              method,
              4,
              0,
              4,
              unknown ? 0 : crc,
              4,
              unknown ? 0 : data.length,
              4,
              unknown ? 0 : content.length,
              2,
              name.length,
              2,
              extra.length));
      out.writeBytes(name);
      out.writeBytes(extra);
      dataOffsets.add((long) out.size());
      compressedSizes.add((long) data.length);
      out.writeBytes(data);
      writeDescriptor(descriptor, crc, data.length, content.length);
      central.writeBytes(
          le(
              4,
              0x02014b50L,
              2,
              3 << 8 | 20,
              2,
              20,
              2,
              allFlags,
              2,
              method,
              4,
              0,
              4,
              crc,
              4,
              data.length,
              4,
              content.length,
              2,
              name.length,
              2,
              0,
              2,
              0,
              2,
              0,
              2,
              0,
              4,
              0100644L << 16,
              4,
              offset));
      central.writeBytes(name);
      return this;
    }

    private void writeDescriptor(Descriptor descriptor, long crc, long compressed, long size) {
      switch (descriptor) {
        case SIGNED -> out.writeBytes(le(4, 0x08074b50L, 4, crc, 4, compressed, 4, size));
        case UNSIGNED -> out.writeBytes(le(4, crc, 4, compressed, 4, size));
        case SIGNED_ZIP64 -> out.writeBytes(le(4, 0x08074b50L, 4, crc, 8, compressed, 8, size));
        default -> {}
      }
    }

    byte[] finish() {
      long start = out.size();
      int count = headerOffsets.size();
      out.writeBytes(central.toByteArray());
      out.writeBytes(
          le(4, 0x06054b50L, 2, 0, 2, 0, 2, count, 2, count, 4, central.size(), 4, start, 2, 0));
      return out.toByteArray();
    }
  }

  /** Little-endian fields given as (width, value) pairs. */
  static byte[] le(long... widthsAndValues) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int i = 0; i < widthsAndValues.length; i += 2) {
      for (int k = 0; k < widthsAndValues[i]; k++) {
        b.write((int) (widthsAndValues[i + 1] >>> (8 * k)));
      }
    }
    return b.toByteArray();
  }

  /** A signed data descriptor for {@code data}, as a stored member's would be. */
  private static byte[] descriptor(byte[] data, boolean zip64) {
    return zip64
        ? le(4, 0x08074b50L, 4, crc(data), 8, data.length, 8, data.length)
        : le(4, 0x08074b50L, 4, crc(data), 4, data.length, 4, data.length);
  }

  /**
   * Random data with a descriptor signature every few hundred bytes, some across 64 KiB boundaries.
   */
  private static byte[] signatureLaden(int length) {
    byte[] b = randomBytes(length, 5);
    for (int i = 0; i + 4 <= length; i += 257) {
      System.arraycopy(DESCRIPTOR_SIGNATURE, 0, b, i, 4);
    }
    for (int boundary = 1 << 16; boundary + 4 <= length; boundary += 1 << 16) {
      System.arraycopy(DESCRIPTOR_SIGNATURE, 0, b, boundary - 2, 4);
    }
    return b;
  }

  private static Map<String, byte[]> members() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("k1.txt", utf8("one"));
    m.put("k1.bin", randomBytes(200_000, 6));
    m.put("k1.zero", new byte[0]);
    m.put("k2.txt", utf8("two two two two two two two two two"));
    m.put("\u00fcber/\u65e5\u672c.txt", utf8("unicode name"));
    return m;
  }

  private static void write(ZipArchiveOutputStream out, Map<String, byte[]> members)
      throws IOException {
    for (Map.Entry<String, byte[]> m : members.entrySet()) {
      out.putArchiveEntry(new ZipArchiveEntry(m.getKey()));
      out.write(m.getValue());
      out.closeArchiveEntry();
    }
  }

  private static ShardReader open(byte[] zip) throws IOException {
    return ShardReader.open(new ByteArrayInputStream(zip), "s.zip", zip.length);
  }

  /** Every member, read through the public API; fails on any error. */
  private static Map<String, byte[]> readAll(byte[] zip) throws IOException {
    return readAll(new ByteArrayInputStream(zip));
  }

  private static Map<String, byte[]> readAll(InputStream in) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (ShardReader r = ShardReader.open(in, "s.zip")) {
      assertEquals(ShardFormat.ZIP, r.format());
      for (ShardMember m; (m = r.next()) != null; ) {
        out.put(m.name(), m.readContent(1 << 30, "s.zip"));
      }
    }
    return out;
  }

  /** Reads members in reads of 1 to 13 bytes, or byte by byte, alternately. */
  private static Map<String, byte[]> readInSmallChunks(byte[] zip) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (ShardReader r = open(zip)) {
      boolean byteByByte = false;
      for (ShardMember m; (m = r.next()) != null; byteByByte = !byteByByte) {
        out.put(m.name(), readSmall(m.content(), byteByByte));
      }
    }
    return out;
  }

  private static byte[] readSmall(InputStream in, boolean byteByByte) throws IOException {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    byte[] chunk = new byte[13];
    while (true) {
      int n = byteByByte ? in.read() : in.read(chunk, 0, 1 + content.size() % 13);
      if (n < 0) {
        return content.toByteArray();
      }
      if (byteByByte) {
        content.write(n);
      } else {
        content.write(chunk, 0, n);
      }
    }
  }

  private static void assertSameMembers(Map<String, byte[]> expected, Map<String, byte[]> actual) {
    assertSameMembers(expected, actual, "");
  }

  private static void assertSameMembers(
      Map<String, byte[]> expected, Map<String, byte[]> actual, String message) {
    assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(actual.keySet()), message);
    expected.forEach(
        (name, content) -> assertArrayEquals(content, actual.get(name), message + ": " + name));
  }

  /** What reading got before an error, if any. */
  private static final class Outcome {
    final Map<String, byte[]> members = new LinkedHashMap<>();
    WdsFormatException error;
  }

  private static Outcome attempt(byte[] zip) {
    Outcome outcome = new Outcome();
    try (ShardReader r = open(zip)) {
      for (ShardMember m; (m = r.next()) != null; ) {
        outcome.members.put(m.name(), null);
        outcome.members.put(m.name(), m.readContent(1 << 20, "s.zip"));
      }
    } catch (WdsFormatException e) {
      outcome.error = e;
    } catch (IOException e) {
      throw new AssertionError("not a corrupt-shard error", e);
    }
    outcome.members.values().removeIf(v -> v == null);
    return outcome;
  }

  private static byte[] flip(byte[] b, long bit) {
    byte[] copy = b.clone();
    copy[(int) (bit / 8)] ^= (byte) (1 << (bit % 8));
    return copy;
  }

  private static long crc(byte[] b) {
    CRC32 crc = new CRC32();
    crc.update(b);
    return crc.getValue();
  }

  /**
   * {@code data} and four bytes that give the whole the CRC-32 {@code target}: the CRC register is
   * run back from the target to find the table entries the four bytes must select, then forward.
   */
  private static byte[] withCrc(byte[] data, long target) {
    int[] table = new int[256];
    int[] byTopByte = new int[256];
    for (int i = 0; i < 256; i++) {
      int c = i;
      for (int k = 0; k < 8; k++) {
        c = (c & 1) != 0 ? (c >>> 1) ^ 0xEDB88320 : c >>> 1;
      }
      table[i] = c;
      byTopByte[c >>> 24] = i;
    }
    int[] index = new int[4];
    int state = ~(int) target;
    for (int k = 3; k >= 0; k--) {
      index[k] = byTopByte[state >>> 24];
      state = (state ^ table[index[k]]) << 8;
    }
    state = ~(int) crc(data);
    byte[] tail = new byte[4];
    for (int k = 0; k < 4; k++) {
      tail[k] = (byte) ((state ^ index[k]) & 0xff);
      state = (state >>> 8) ^ table[index[k]];
    }
    return concat(data, tail);
  }

  private static byte[] deflate(byte[] content) {
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    deflater.setInput(content);
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    while (!deflater.finished()) {
      out.write(buf, 0, deflater.deflate(buf));
    }
    deflater.end();
    return out.toByteArray();
  }

  private static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] b, byte[] what) {
    for (int i = 0; i + what.length <= b.length; i++) {
      if (Arrays.equals(b, i, i + what.length, what, 0, what.length)) {
        return i;
      }
    }
    return -1;
  }

  /** Serves its bytes a few at a time, as a slow network would. */
  private static final class TrickleInputStream extends InputStream {
    private final byte[] bytes;
    private int pos;

    TrickleInputStream(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public int read() {
      return pos < bytes.length ? bytes[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos == bytes.length) {
        return -1;
      }
      int n = Math.min(Math.min(len, 1 + pos % 7), bytes.length - pos);
      System.arraycopy(bytes, pos, b, off, n);
      pos += n;
      return n;
    }
  }
}
