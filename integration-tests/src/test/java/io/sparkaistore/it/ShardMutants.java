package io.sparkaistore.it;

import static io.sparkaistore.wds.TestShards.shard;

import io.sparkaistore.wds.TestShards;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Seeded corruptions of one small set of members written as tar, tar.gz and zip (stored, and
 * deflated with data descriptors): bit flips in headers and data, truncations, forged sizes, bad
 * CRCs, zip local headers that disagree with the central directory. Each mutant says whether the
 * format's own checks reveal it ({@code detectable}): a header checksum, a CRC, a size or name the
 * central directory contradicts, a stream that ends too early. Those must never read as if nothing
 * were wrong.
 */
final class ShardMutants {
  /**
   * Plain tar is apart: its data blocks carry no checksum, so a flipped data bit cannot be noticed.
   */
  enum Kind {
    TAR,
    TAR_GZ,
    ZIP
  }

  /** One object to put: its name under the bucket, its bytes, and the members it was made from. */
  // Compared with Arrays.equals where compared at all: the record's own equals is never used.
  @SuppressWarnings("ArrayRecordComponent")
  record Shard(
      String name,
      Kind kind,
      byte[] bytes,
      Map<String, byte[]> original,
      boolean detectable,
      boolean intact) {}

  // 8 GiB - 1, the largest 11-digit octal size.
  private static final long HUGE_TAR_SIZE = 077777777777L;
  private static final int TAR_CHECKSUM = 148;
  private static final int[][] ZIP_LOCAL_FIELDS = { // {offset, length} in a local file header
    {0, 4}, {8, 2}, {14, 4}, {18, 4}, {22, 4}, {26, 2}, {28, 2}
  };

  private final Random random;
  private final Map<String, byte[]> members;
  private final List<Shard> shards = new ArrayList<>();

  private ShardMutants(long seed) {
    this.random = new Random(seed);
    this.members = Collections.unmodifiableMap(members(random));
  }

  /**
   * The intact shards (one per format) followed by the mutants, named {@code m/NN-<what>.<ext>}.
   */
  static List<Shard> build(long seed) {
    try {
      ShardMutants m = new ShardMutants(seed);
      m.buildAll();
      return m.shards;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Four samples of three members each: cls (digits), txt (ASCII), bin (random bytes), a few
   * hundred bytes to 2 KB.
   */
  private static Map<String, byte[]> members(Random r) {
    Map<String, byte[]> m = new LinkedHashMap<>();
    for (int i = 0; i < 4; i++) {
      String key = String.format("s%03d", i);
      m.put(key + ".cls", TestShards.utf8(String.valueOf(r.nextInt(1000))));
      byte[] txt = new byte[40 + r.nextInt(600)];
      for (int j = 0; j < txt.length; j++) {
        txt[j] = (byte) (' ' + r.nextInt(95));
      }
      m.put(key + ".txt", txt);
      byte[] bin = new byte[200 + r.nextInt(1400)];
      r.nextBytes(bin);
      m.put(key + ".bin", bin);
    }
    return m;
  }

  private void buildAll() throws IOException {
    TestShards builder = shard();
    members.forEach(builder::add);
    byte[] tar = builder.tar();
    byte[] tgz = gzip(tar);
    byte[] zipStored = zipStored(members);
    // commons-compress on a plain stream: deflated, sizes in data descriptors.
    byte[] zipDeflated = builder.zip();
    add("tar-intact.tar", Kind.TAR, tar, false, true);
    add("tgz-intact.tar.gz", Kind.TAR_GZ, tgz, false, true);
    add("zip-stored-intact.zip", Kind.ZIP, zipStored, false, true);
    add("zip-deflated-intact.zip", Kind.ZIP, zipDeflated, false, true);
    tarMutants(tar);
    tgzMutants(tar, tgz);
    zipStoredMutants(zipStored);
    zipDeflatedMutants(zipDeflated);
  }

  private void tarMutants(byte[] tar) {
    List<int[]> entries = tarEntries(tar);
    for (int i = 0;
        i < 4;
        i++) { // every header byte but the checksum field's counts in the checksum
      int[] e = pick(entries);
      int offset;
      do {
        offset = random.nextInt(512);
      } while (offset >= TAR_CHECKSUM && offset < TAR_CHECKSUM + 8);
      int bit = random.nextInt(8);
      add(
          "tar-header-flip-" + (e[0] + offset) + "-bit" + bit + ".tar",
          Kind.TAR,
          flip(tar, e[0] + offset, bit),
          true,
          false);
    }
    for (int i = 0; i < 3; i++) { // not checksummed: reads as Python's tarfile reads it
      int[] e = pick(entries);
      int at = e[1] + random.nextInt(e[2]);
      int bit = random.nextInt(8);
      add(
          "tar-data-flip-" + at + "-bit" + bit + ".tar",
          Kind.TAR,
          flip(tar, at, bit),
          false,
          false);
    }
    for (int i = 0; i < 2; i++) {
      int cut = pick(entries)[0] + 1 + random.nextInt(511);
      add("tar-cut-in-header-" + cut + ".tar", Kind.TAR, Arrays.copyOf(tar, cut), true, false);
    }
    for (int i = 0; i < 2; i++) {
      int[] e = pick(entries);
      int cut = e[1] + 1 + random.nextInt(e[2] - 1);
      add("tar-cut-in-data-" + cut + ".tar", Kind.TAR, Arrays.copyOf(tar, cut), true, false);
    }
    int[] huge = entries.get(random.nextInt(entries.size() - 1));
    add(
        "tar-forged-huge-size-" + huge[0] + ".tar",
        Kind.TAR,
        withTarSize(tar, huge[0], HUGE_TAR_SIZE),
        true,
        false);
    // One block more than the member holds: the next header is taken as data, then data as a
    // header.
    int[] longer = entries.get(1 + random.nextInt(entries.size() - 2));
    add(
        "tar-forged-size-plus-512-" + longer[0] + ".tar",
        Kind.TAR,
        withTarSize(tar, longer[0], longer[2] + 512L),
        true,
        false);
  }

  private void tgzMutants(byte[] tar, byte[] tgz) throws IOException {
    int n = tgz.length;
    for (int i = 0;
        i < 3;
        i++) { // a flip in the deflate stream: garbage, a decoder error, or a CRC mismatch
      int at = 10 + random.nextInt(n - 18);
      int bit = random.nextInt(8);
      add(
          "tgz-deflate-flip-" + at + "-bit" + bit + ".tar.gz",
          Kind.TAR_GZ,
          flip(tgz, at, bit),
          false,
          false);
    }
    int mtime = 4 + random.nextInt(4);
    int mtimeBit = random.nextInt(8);
    add(
        "tgz-mtime-flip-" + mtime + "-bit" + mtimeBit + ".tar.gz",
        Kind.TAR_GZ,
        flip(tgz, mtime, mtimeBit),
        false,
        false);
    int flagBit = random.nextInt(8);
    add(
        "tgz-flags-flip-bit" + flagBit + ".tar.gz",
        Kind.TAR_GZ,
        flip(tgz, 3, flagBit),
        false,
        false);
    int crc = n - 8 + random.nextInt(4);
    add(
        "tgz-bad-crc-" + crc + ".tar.gz",
        Kind.TAR_GZ,
        flip(tgz, crc, random.nextInt(8)),
        true,
        false);
    int isize = n - 4 + random.nextInt(4);
    add(
        "tgz-bad-length-" + isize + ".tar.gz",
        Kind.TAR_GZ,
        flip(tgz, isize, random.nextInt(8)),
        true,
        false);
    int cut = 11 + random.nextInt(n - 19);
    add("tgz-cut-in-deflate-" + cut + ".tar.gz", Kind.TAR_GZ, Arrays.copyOf(tgz, cut), true, false);
    add("tgz-no-trailer.tar.gz", Kind.TAR_GZ, Arrays.copyOf(tgz, n - 8), true, false);
    add("tgz-half-trailer.tar.gz", Kind.TAR_GZ, Arrays.copyOf(tgz, n - 3), true, false);
    List<int[]> entries = tarEntries(tar);
    int inHeader = pick(entries)[0] + 1 + random.nextInt(511);
    add(
        "tgz-of-tar-cut-in-header-" + inHeader + ".tar.gz",
        Kind.TAR_GZ,
        gzip(Arrays.copyOf(tar, inHeader)),
        true,
        false);
    int[] e = pick(entries);
    int inData = e[1] + 1 + random.nextInt(e[2] - 1);
    add(
        "tgz-of-tar-cut-in-data-" + inData + ".tar.gz",
        Kind.TAR_GZ,
        gzip(Arrays.copyOf(tar, inData)),
        true,
        false);
    int[] huge = entries.get(random.nextInt(entries.size() - 1));
    add(
        "tgz-forged-huge-size-" + huge[0] + ".tar.gz",
        Kind.TAR_GZ,
        gzip(withTarSize(tar, huge[0], HUGE_TAR_SIZE)),
        true,
        false);
  }

  private void zipStoredMutants(byte[] zip) {
    ZipLayout z = ZipLayout.of(zip);
    for (int i = 0;
        i < 5;
        i++) { // signature, method, CRC, sizes, name and extra lengths: each contradicts something
      ZipLayout.Entry e = pick(z.entries);
      int[] field = ZIP_LOCAL_FIELDS[random.nextInt(ZIP_LOCAL_FIELDS.length)];
      int at = e.local + field[0] + random.nextInt(field[1]);
      int bit = random.nextInt(8);
      add(
          "zip-local-header-flip-" + at + "-bit" + bit + ".zip",
          Kind.ZIP,
          flip(zip, at, bit),
          true,
          false);
    }
    ZipLayout.Entry named = pick(z.entries);
    int nameAt = named.local + 30 + random.nextInt(named.localNameLength);
    add(
        "zip-local-name-flip-" + nameAt + ".zip",
        Kind.ZIP,
        flip(zip, nameAt, random.nextInt(8)),
        true,
        false);
    // Modification time: no reader checks it.
    int time = pick(z.entries).local + 10 + random.nextInt(4);
    add(
        "zip-local-time-flip-" + time + ".zip",
        Kind.ZIP,
        flip(zip, time, random.nextInt(8)),
        false,
        false);
    for (int i = 0;
        i < 2;
        i++) { // stored data under a CRC-32, which catches every single-bit error
      ZipLayout.Entry e = pick(z.entries);
      int at = e.data + random.nextInt(e.compressedSize);
      add(
          "zip-stored-data-flip-" + at + ".zip",
          Kind.ZIP,
          flip(zip, at, random.nextInt(8)),
          true,
          false);
    }
    for (int i = 0; i < 2; i++) {
      int at = z.centralDirectory + random.nextInt(z.centralDirectorySize);
      add(
          "zip-central-flip-" + at + ".zip",
          Kind.ZIP,
          flip(zip, at, random.nextInt(8)),
          false,
          false);
    }
    ZipLayout.Entry badCrc = pick(z.entries);
    int crcBit = random.nextInt(32);
    byte[] consistentCrc =
        flip(
            flip(zip, badCrc.local + 14 + crcBit / 8, crcBit % 8),
            badCrc.central + 16 + crcBit / 8,
            crcBit % 8);
    add("zip-bad-crc-" + badCrc.name + ".zip", Kind.ZIP, consistentCrc, true, false);
    // The local header describes a shorter member whose CRC is right: only the central directory
    // says otherwise.
    ZipLayout.Entry shorter = pick(z.entries);
    int half = shorter.compressedSize / 2;
    byte[] shorterBytes = zip.clone();
    CRC32 prefixCrc = new CRC32();
    prefixCrc.update(zip, shorter.data, half);
    putInt(shorterBytes, shorter.local + 14, (int) prefixCrc.getValue());
    putInt(shorterBytes, shorter.local + 18, half);
    putInt(shorterBytes, shorter.local + 22, half);
    add("zip-local-sizes-shorter-" + shorter.name + ".zip", Kind.ZIP, shorterBytes, true, false);
    ZipLayout.Entry longer = pick(z.entries);
    byte[] longerBytes = zip.clone();
    putInt(longerBytes, longer.local + 18, longer.compressedSize + 100);
    putInt(longerBytes, longer.local + 22, longer.compressedSize + 100);
    add("zip-local-sizes-longer-" + longer.name + ".zip", Kind.ZIP, longerBytes, true, false);
    ZipLayout.Entry huge = pick(z.entries);
    byte[] hugeBytes = zip.clone();
    putInt(hugeBytes, huge.local + 18, 0x7ffffff0);
    putInt(hugeBytes, huge.local + 22, 0x7ffffff0);
    add("zip-forged-huge-size-" + huge.name + ".zip", Kind.ZIP, hugeBytes, true, false);
    int inLocal =
        z.entries.get(1 + random.nextInt(z.entries.size() - 1)).local + 1 + random.nextInt(29);
    add(
        "zip-cut-in-local-header-" + inLocal + ".zip",
        Kind.ZIP,
        Arrays.copyOf(zip, inLocal),
        true,
        false);
    ZipLayout.Entry cutData = pick(z.entries);
    int inData = cutData.data + 1 + random.nextInt(cutData.compressedSize - 1);
    add("zip-cut-in-data-" + inData + ".zip", Kind.ZIP, Arrays.copyOf(zip, inData), true, false);
    int inCentral = z.centralDirectory + 1 + random.nextInt(z.centralDirectorySize - 1);
    add(
        "zip-cut-in-central-directory-" + inCentral + ".zip",
        Kind.ZIP,
        Arrays.copyOf(zip, inCentral),
        true,
        false);
    add(
        "zip-no-end-of-central-directory.zip",
        Kind.ZIP,
        Arrays.copyOf(zip, z.endOfCentralDirectory),
        true,
        false);
  }

  private void zipDeflatedMutants(byte[] zip) {
    ZipLayout z = ZipLayout.of(zip);
    for (int i = 0; i < 2; i++) {
      ZipLayout.Entry e = pick(z.entries);
      int at = e.data + random.nextInt(e.compressedSize);
      int bit = random.nextInt(8);
      add(
          "zip-deflated-data-flip-" + at + "-bit" + bit + ".zip",
          Kind.ZIP,
          flip(zip, at, bit),
          false,
          false);
    }
    ZipLayout.Entry badCrc = pick(z.entries);
    if (badCrc.descriptorCrc < 0) {
      throw new IllegalStateException("the deflated zip has no data descriptors: " + badCrc);
    }
    int crcBit = random.nextInt(32);
    byte[] consistentCrc =
        flip(
            flip(zip, badCrc.descriptorCrc + crcBit / 8, crcBit % 8),
            badCrc.central + 16 + crcBit / 8,
            crcBit % 8);
    add(
        "zip-deflated-bad-crc-in-descriptor-" + badCrc.name + ".zip",
        Kind.ZIP,
        consistentCrc,
        true,
        false);
    ZipLayout.Entry cut = pick(z.entries);
    int inData = cut.data + 1 + random.nextInt(cut.compressedSize - 1);
    add(
        "zip-deflated-cut-in-data-" + inData + ".zip",
        Kind.ZIP,
        Arrays.copyOf(zip, inData),
        true,
        false);
    ZipLayout.Entry named = pick(z.entries);
    int nameAt = named.local + 30 + random.nextInt(named.localNameLength);
    add(
        "zip-deflated-local-name-flip-" + nameAt + ".zip",
        Kind.ZIP,
        flip(zip, nameAt, random.nextInt(8)),
        true,
        false);
  }

  private void add(String what, Kind kind, byte[] bytes, boolean detectable, boolean intact) {
    String name = String.format("m/%02d-%s", shards.size(), what);
    shards.add(new Shard(name, kind, bytes, members, detectable, intact));
  }

  private <T> T pick(List<T> list) {
    return list.get(random.nextInt(list.size()));
  }

  // --- tar ---

  /** {header offset, data offset, size} of each member, up to the end-of-archive blocks. */
  static List<int[]> tarEntries(byte[] tar) {
    List<int[]> out = new ArrayList<>();
    int pos = 0;
    while (pos + 512 <= tar.length && !zeroBlock(tar, pos)) {
      int size =
          Integer.parseInt(new String(tar, pos + 124, 11, StandardCharsets.US_ASCII).trim(), 8);
      out.add(new int[] {pos, pos + 512, size});
      pos += 512 + (size + 511) / 512 * 512;
    }
    return out;
  }

  private static boolean zeroBlock(byte[] b, int pos) {
    for (int i = pos; i < pos + 512; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** The tar with one header's size field replaced and its checksum made right again. */
  static byte[] withTarSize(byte[] tar, int header, long size) {
    byte[] t = tar.clone();
    byte[] octal = String.format("%011o", size).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(octal, 0, t, header + 124, 11);
    t[header + 135] = 0;
    Arrays.fill(t, header + TAR_CHECKSUM, header + TAR_CHECKSUM + 8, (byte) ' ');
    long sum = 0;
    for (int i = header; i < header + 512; i++) {
      sum += t[i] & 0xff;
    }
    byte[] checksum = (String.format("%06o", sum) + "\0 ").getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(checksum, 0, t, header + TAR_CHECKSUM, 8);
    return t;
  }

  // --- gzip and zip ---

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  /** STORED members with their sizes and CRC in the local headers (no data descriptors). */
  static byte[] zipStored(Map<String, byte[]> members) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> m : members.entrySet()) {
        ZipEntry e = new ZipEntry(m.getKey());
        e.setMethod(ZipEntry.STORED);
        e.setSize(m.getValue().length);
        e.setCompressedSize(m.getValue().length);
        CRC32 crc = new CRC32();
        crc.update(m.getValue());
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(m.getValue());
        zip.closeEntry();
      }
    }
    return out.toByteArray();
  }

  static byte[] flip(byte[] b, int at, int bit) {
    byte[] out = b.clone();
    out[at] ^= (byte) (1 << bit);
    return out;
  }

  private static void putInt(byte[] b, int at, int v) {
    for (int i = 0; i < 4; i++) {
      b[at + i] = (byte) (v >>> (8 * i));
    }
  }

  private static int u16(byte[] b, int at) {
    return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
  }

  private static int u32(byte[] b, int at) {
    return u16(b, at) | u16(b, at + 2) << 16;
  }

  /** Where things are in a small zip, from its central directory. */
  static final class ZipLayout {
    /**
     * Offsets of one member's local header, its data, its central directory entry, and its data
     * descriptor's CRC (or -1).
     */
    record Entry(
        String name,
        int local,
        int localNameLength,
        int data,
        int compressedSize,
        int central,
        int descriptorCrc) {}

    final List<Entry> entries = new ArrayList<>();
    int centralDirectory;
    int centralDirectorySize;
    int endOfCentralDirectory;

    static ZipLayout of(byte[] zip) {
      ZipLayout z = new ZipLayout();
      int eocd = zip.length - 22;
      while (u32(zip, eocd) != 0x06054b50) {
        eocd--;
      }
      z.endOfCentralDirectory = eocd;
      z.centralDirectorySize = u32(zip, eocd + 12);
      z.centralDirectory = u32(zip, eocd + 16);
      int p = z.centralDirectory;
      for (int i = 0; i < u16(zip, eocd + 10); i++) {
        if (u32(zip, p) != 0x02014b50) {
          throw new IllegalStateException("no central directory entry at " + p);
        }
        int flags = u16(zip, p + 8);
        int compressedSize = u32(zip, p + 20);
        int nameLength = u16(zip, p + 28);
        String name = new String(zip, p + 46, nameLength, StandardCharsets.UTF_8);
        int local = u32(zip, p + 42);
        int localNameLength = u16(zip, local + 26);
        int data = local + 30 + localNameLength + u16(zip, local + 28);
        int descriptorCrc = -1;
        if ((flags & 8) != 0) {
          int d = data + compressedSize;
          descriptorCrc = u32(zip, d) == 0x08074b50 ? d + 4 : d;
        }
        z.entries.add(
            new Entry(name, local, localNameLength, data, compressedSize, p, descriptorCrc));
        p += 46 + nameLength + u16(zip, p + 30) + u16(zip, p + 32);
      }
      return z;
    }
  }
}
