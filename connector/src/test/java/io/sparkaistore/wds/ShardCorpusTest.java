package io.sparkaistore.wds;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorOutputStream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * "Reads that never lie", over a corpus of corrupted shards made here from a fixed seed: single-bit
 * flips in every region of every format (headers, data, padding, trailers), truncations at every
 * boundary and every few bytes, and sizes forged far beyond the object. For each mutant the test
 * knows, from the layout of the original, what an honest reader does: {@link Expectation}. The
 * {@link ShardReader} and the {@link SampleReader} over it must then either fail with a {@link
 * WdsFormatException} naming the shard, or return exactly the members that are intact; never
 * another exception, never bytes that are not in the object, and never an allocation the shard does
 * not justify (the test runs in a 64 MiB heap, with member contents read up to 64 MiB).
 *
 * <p>What "intact" means depends on what the format can check. Plain tar has no data checksum: a
 * member's bytes are whatever the mutated archive holds at its data location, and a name is what
 * its header (or pax record) says; header blocks carry a checksum, so a flipped header must fail.
 * gzip and lz4 check one checksum at the end of the whole stream: members read before a failure may
 * hold damaged bytes (the reader streams, and that failure tells the caller to drop them), but a
 * read that completes returns the originals exactly. Zip checks each member's CRC-32 as its content
 * ends and the central directory at the end.
 */
class ShardCorpusTest {
  private static final long SEED = 0x5EED_2026_1201L;
  private static final long LIMIT = 64L << 20;
  private static final long MIB_60 = 60L << 20;
  private static final long MIB_250 = 250L << 20;
  private static final long GIB_8 = 8L << 30;
  private static final int BLOCK = 512;

  /** What a decompressor may hold back at the end of a truncated stream, by far. */
  private static final int HELD_BACK = 4096;

  // ---------------------------------------------------------------------------------------------
  // The original shards

  // Compared with Arrays.equals where compared at all: the record's own equals is never used.
  @SuppressWarnings("ArrayRecordComponent")
  record Member(String name, byte[] bytes) {
    @Override
    public String toString() {
      return name + " (" + bytes.length + " bytes)";
    }
  }

  /**
   * A directory whose name makes member names longer than ustar's 100 bytes: they need pax records.
   */
  private static final String LONG_DIR = "очень/длинный/каталог/" + "κατάλογος-".repeat(5) + "end";

  /** Names with UTF-8, members of 0, 1, 512 and more bytes, long names, text and random content. */
  static List<Member> mixedShard() {
    Random random = new Random(SEED);
    return List.of(
        new Member("δείγμα/ключ.txt", utf8("Grüße, κόσμε! Привет, мир.\n")),
        new Member("δείγμα/ключ.cls", new byte[0]),
        new Member("s0001.bin", randomBytes(random, 700)),
        new Member(
            "s0001.json",
            utf8("{\"label\": 7, \"caption\": \"a sample\"}\n".repeat(20).substring(0, 512))),
        new Member(LONG_DIR + "/s0002.jpg", randomBytes(random, 3000)),
        new Member(LONG_DIR + "/s0002.txt", randomBytes(random, 1)),
        new Member("s0003.bin", randomBytes(random, 1025)));
  }

  /** Many small members: many headers, several of them empty. */
  static List<Member> manySmallShard() {
    Random random = new Random(SEED + 1);
    List<Member> members = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String key = String.format(Locale.ROOT, "part/k%02d", i);
      members.add(new Member(key + ".txt", utf8("text " + "#".repeat(random.nextInt(40)))));
      members.add(
          new Member(
              key + ".cls", randomBytes(random, random.nextInt(3) == 0 ? 0 : random.nextInt(12))));
    }
    return members;
  }

  /** One member larger than the reader's 64 KiB skip buffer, half random, half repetitive. */
  static List<Member> bigShard() {
    Random random = new Random(SEED + 2);
    byte[] big = new byte[70_001];
    byte[] noise = randomBytes(random, big.length / 2);
    System.arraycopy(noise, 0, big, 0, noise.length);
    for (int i = noise.length; i < big.length; i++) {
      big[i] = (byte) ("pattern-" + (i / 97)).charAt(i % 8);
    }
    return List.of(new Member("big/a.bin", big), new Member("big/a.cls", utf8("42")));
  }

  private static TestShards builder(List<Member> members) {
    TestShards shard = TestShards.shard();
    members.forEach(m -> shard.add(m.name(), m.bytes()));
    return shard;
  }

  private static final Map<String, List<Member>> SHARDS = new LinkedHashMap<>();

  static {
    SHARDS.put("mixed", mixedShard());
    SHARDS.put("many", manySmallShard());
    SHARDS.put("big", bigShard());
  }

  // ---------------------------------------------------------------------------------------------
  // The tests

  @Test
  void runsWithTheDefaultCharsetOfTheCLocale() {
    // The surefire configuration sets LC_ALL=C and file.encoding: names must decode as UTF-8
    // anyway.
    assertNotEquals(
        StandardCharsets.UTF_8,
        Charset.defaultCharset(),
        "these tests are meant to run under LC_ALL=C (see the connector's pom)");
  }

  @Test
  void theOriginalsReadBackExactlyInEveryFormat() throws IOException {
    for (Map.Entry<String, List<Member>> shard : SHARDS.entrySet()) {
      TestShards b = builder(shard.getValue());
      for (byte[] bytes :
          List.of(b.tar(), b.tgz(), b.tarLz4(), b.zip(), b.zipStored(false), b.zipStored(true))) {
        for (boolean sizeKnown : new boolean[] {true, false}) {
          Read read = readMembers(bytes, "ais://corpus/" + shard.getKey(), sizeKnown, LIMIT);
          if (read.failure != null) {
            throw new AssertionError(shard.getKey() + " fails to read", read.failure);
          }
          assertTrue(
              sameMembers(shard.getValue(), read.members), shard.getKey() + ": " + read.members);
        }
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> tar() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Map.Entry<String, List<Member>> shard : SHARDS.entrySet()) {
      String name = shard.getKey();
      TarCase tar = new TarCase(shard.getValue(), builder(shard.getValue()).tar());
      tests.add(
          corpus(
              "tar " + name + ": bit flips",
              "tar",
              () -> tar.flips(new Random(SEED ^ name.hashCode()))));
      tests.add(corpus("tar " + name + ": truncations", "tar", tar::truncations));
      tests.add(corpus("tar " + name + ": forged sizes", "tar", tar::forgedSizes));
    }
    tests.add(
        corpus("tar: forged pax sizes", "tar", () -> forgedPaxSizes(UnaryOperator.identity())));
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> tarGz() throws IOException {
    return compressed(Codec.GZIP);
  }

  @TestFactory
  Stream<DynamicTest> tarLz4() throws IOException {
    return compressed(Codec.LZ4);
  }

  private Stream<DynamicTest> compressed(Codec codec) throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Map.Entry<String, List<Member>> shard : SHARDS.entrySet()) {
      String name = codec.extension + " " + shard.getKey();
      TestShards b = builder(shard.getValue());
      CompressedCase c =
          new CompressedCase(codec, shard.getValue(), codec == Codec.GZIP ? b.tgz() : b.tarLz4());
      tests.add(
          corpus(
              name + ": bit flips",
              codec.extension,
              () -> c.flips(new Random(SEED ^ name.hashCode()))));
      tests.add(corpus(name + ": truncations", codec.extension, c::truncations));
      // The tar inside lies about a size; the compressed stream around it is sound.
      TarCase tar = new TarCase(shard.getValue(), c.tar);
      tests.add(
          corpus(
              name + ": forged sizes",
              codec.extension,
              () -> tar.forgedSizes().map(m -> m.compressed(codec))));
    }
    tests.add(
        corpus(
            codec.extension + ": forged pax sizes",
            codec.extension,
            () -> forgedPaxSizes(codec::compress)));
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> zip() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Map.Entry<String, List<Member>> shard : SHARDS.entrySet()) {
      TestShards b = builder(shard.getValue());
      Map<String, byte[]> variants = new LinkedHashMap<>();
      variants.put("deflated", b.zip());
      variants.put("stored", b.zipStored(false));
      variants.put("zip64", b.zipStored(true));
      for (Map.Entry<String, byte[]> v : variants.entrySet()) {
        String name = "zip " + v.getKey() + " " + shard.getKey();
        ZipCase zip = new ZipCase(shard.getValue(), v.getValue());
        if (!v.getKey().equals("zip64") || shard.getKey().equals("mixed")) {
          tests.add(
              corpus(
                  name + ": bit flips",
                  "zip",
                  () -> zip.flips(new Random(SEED ^ name.hashCode()))));
          tests.add(corpus(name + ": truncations", "zip", zip::truncations));
        }
        tests.add(corpus(name + ": forged sizes", "zip", zip::forgedSizes));
      }
    }
    return tests.stream();
  }

  // ---------------------------------------------------------------------------------------------
  // What an honest reader does with a mutant

  /**
   * The outcome a mutant calls for. {@code truth} is what an honest reader returns, in order: the
   * originals, or for plain tar what the mutated archive holds (its bytes at each data location,
   * the name its header or pax record gives).
   */
  static final class Expectation {
    enum Outcome {
      COMPLETE,
      FAIL,
      EITHER
    }

    final Outcome outcome;
    final List<Member> truth;
    final String why;

    /** On failure, how many members may have been read before it. */
    int minOnFailure;

    int maxOnFailure;

    /**
     * On failure, members from this index on need not be intact: the format checks them only at the
     * end of the stream (gzip's and lz4's checksums), and that failure is what tells the caller.
     */
    int verified;

    /**
     * On failure, this member's name need not be the original: the zip central directory, read
     * last, checks it.
     */
    int nameCheckedAtEnd = -1;

    private Expectation(Outcome outcome, List<Member> truth, String why) {
      this.outcome = outcome;
      this.truth = truth;
      this.why = why;
      this.maxOnFailure = truth.size();
      this.verified = truth.size();
    }

    static Expectation complete(List<Member> truth, String why) {
      return new Expectation(Outcome.COMPLETE, truth, why);
    }

    /** Fails after reading exactly the first {@code members} members. */
    static Expectation fail(List<Member> truth, int members, String why) {
      return new Expectation(Outcome.FAIL, truth, why).onFailure(members, members);
    }

    static Expectation either(List<Member> truth, String why) {
      return new Expectation(Outcome.EITHER, truth, why);
    }

    static Expectation failOrComplete(List<Member> truth, int members, String why) {
      return either(truth, why).onFailure(members, members);
    }

    Expectation onFailure(int min, int max) {
      this.minOnFailure = min;
      this.maxOnFailure = max;
      return this;
    }

    /**
     * Allows a failure one member earlier: the zip reader takes a member's data as ended only once
     * it sees the next header's signature, so a bad or missing next header fails that member too.
     */
    Expectation orOneMemberEarlier() {
      this.minOnFailure = Math.max(0, minOnFailure - 1);
      return this;
    }

    Expectation verified(int members) {
      this.verified = Math.min(members, truth.size());
      return this;
    }

    Expectation nameCheckedAtEnd(int member) {
      this.nameCheckedAtEnd = member;
      return this;
    }

    @Override
    public String toString() {
      String counts =
          minOnFailure == maxOnFailure ? "" + minOnFailure : minOnFailure + ".." + maxOnFailure;
      return outcome
          + (outcome == Outcome.COMPLETE ? "" : " (failure after " + counts + " members)")
          + ", "
          + why;
    }
  }

  /** A mutated shard and what it calls for. */
  // Compared with Arrays.equals where compared at all: the record's own equals is never used.
  @SuppressWarnings("ArrayRecordComponent")
  record Mutant(String label, byte[] bytes, Expectation expect) {
    Mutant compressed(Codec codec) {
      return new Mutant(label, codec.compress(bytes), expect);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Plain tar

  /** Where everything is in a tar archive made by {@link TestShards}. */
  static final class TarLayout {
    final List<TarEntry> entries = new ArrayList<>();
    int endStart; // the first end-of-archive block
    int length;

    static TarLayout of(byte[] tar) {
      TarLayout layout = new TarLayout();
      layout.length = tar.length;
      TarEntry pending = new TarEntry();
      int pos = 0;
      while (true) {
        if (pos + BLOCK > tar.length) {
          throw new IllegalStateException("no end-of-archive block");
        }
        if (isZero(tar, pos, BLOCK)) {
          layout.endStart = pos;
          return layout;
        }
        char type = (char) tar[pos + 156];
        int size = (int) octal(tar, pos + 124, 12);
        if (type == 'x') {
          pending.paxStart = pos;
          pending.paxSize = size;
          pending.records = PaxRecord.parse(tar, pos + BLOCK, size);
          pos += BLOCK + padded(size);
          continue;
        }
        if (type != '0' && type != 0) {
          throw new IllegalStateException("unexpected entry type " + type);
        }
        if (tar[pos + 345] != 0) {
          throw new IllegalStateException("a ustar prefix: the oracle does not model it");
        }
        pending.headerStart = pos;
        pending.size = size;
        pending.ustarName = cString(tar, pos, 100);
        layout.entries.add(pending);
        pending = new TarEntry();
        pos += BLOCK + padded(size);
      }
    }
  }

  static final class TarEntry {
    int paxStart = -1;
    int paxSize;
    List<PaxRecord> records = List.of();
    int headerStart;
    int size;
    String ustarName;

    int start() {
      return paxStart >= 0 ? paxStart : headerStart;
    }

    int paxDataStart() {
      return paxStart + BLOCK;
    }

    int dataStart() {
      return headerStart + BLOCK;
    }

    int dataEnd() {
      return dataStart() + size;
    }

    int paddedEnd() {
      return dataStart() + padded(size);
    }
  }

  /** One pax record, {@code "<length> <key>=<value>\n"}, by absolute offsets. */
  record PaxRecord(int start, int space, int eq, int newline, String key) {
    static List<PaxRecord> parse(byte[] b, int from, int size) {
      List<PaxRecord> records = new ArrayList<>();
      int i = from;
      while (i < from + size) {
        int space = i;
        while (b[space] != ' ') {
          space++;
        }
        int length = Integer.parseInt(new String(b, i, space - i, StandardCharsets.US_ASCII));
        int eq = space;
        while (b[eq] != '=') {
          eq++;
        }
        records.add(
            new PaxRecord(
                i,
                space,
                eq,
                i + length - 1,
                new String(b, space + 1, eq - space - 1, StandardCharsets.UTF_8)));
        i += length;
      }
      return records;
    }
  }

  static final class TarCase {
    final List<Member> originals;
    final byte[] tar;
    final TarLayout layout;

    TarCase(List<Member> originals, byte[] tar) {
      this.originals = originals;
      this.tar = tar;
      this.layout = TarLayout.of(tar);
      if (layout.entries.size() != originals.size()) {
        throw new IllegalStateException("layout has " + layout.entries.size() + " members");
      }
    }

    int n() {
      return originals.size();
    }

    /**
     * The members as the mutated archive holds them: names as written, bytes at each data location.
     */
    List<Member> truth(byte[] mutant) {
      List<Member> truth = new ArrayList<>();
      for (int i = 0; i < n(); i++) {
        TarEntry e = layout.entries.get(i);
        truth.add(
            new Member(
                originals.get(i).name(), Arrays.copyOfRange(mutant, e.dataStart(), e.dataEnd())));
      }
      return truth;
    }

    Stream<Mutant> flips(Random random) {
      List<int[]> regions = new ArrayList<>();
      for (TarEntry e : layout.entries) {
        if (e.paxStart >= 0) {
          regions.add(new int[] {e.paxStart, e.paxStart + BLOCK});
          regions.add(new int[] {e.paxDataStart(), e.paxDataStart() + e.paxSize});
          regions.add(new int[] {e.paxDataStart() + e.paxSize, e.headerStart});
        }
        regions.add(new int[] {e.headerStart, e.headerStart + 148});
        regions.add(new int[] {e.headerStart + 148, e.headerStart + 156}); // the checksum
        regions.add(new int[] {e.headerStart + 156, e.headerStart + BLOCK});
        regions.add(new int[] {e.dataStart(), e.dataEnd()});
        regions.add(new int[] {e.dataEnd(), e.paddedEnd()});
      }
      regions.add(new int[] {layout.endStart, layout.endStart + BLOCK});
      regions.add(new int[] {layout.endStart + BLOCK, tar.length});
      return flipPositions(random, regions, tar.length, 8, 50).stream()
          .map(
              flip -> {
                byte[] mutant = flip(tar, flip[0], flip[1]);
                return new Mutant(
                    "flip of bit " + flip[1] + " at " + flip[0],
                    mutant,
                    expectFlip(flip[0], mutant));
              });
    }

    Expectation expectFlip(int p, byte[] mutant) {
      List<Member> truth = truth(mutant);
      for (int i = 0; i < n(); i++) {
        TarEntry e = layout.entries.get(i);
        if (e.paxStart >= 0) {
          if (p >= e.paxStart && p < e.paxStart + BLOCK) {
            return headerFlip(truth, i, e.paxStart, p, mutant, "pax header block of member " + i);
          }
          if (p >= e.paxDataStart() && p < e.paxDataStart() + e.paxSize) {
            return paxRecordFlip(truth, i, e, p, mutant);
          }
          if (p >= e.paxDataStart() + e.paxSize && p < e.headerStart) {
            return Expectation.complete(truth, "padding after the pax records of member " + i);
          }
        }
        if (p >= e.headerStart && p < e.headerStart + BLOCK) {
          return headerFlip(truth, i, e.headerStart, p, mutant, "header of member " + i);
        }
        if (p >= e.dataStart() && p < e.dataEnd()) {
          return Expectation.complete(truth, "data of member " + i + " (tar has no data checksum)");
        }
        if (p >= e.dataEnd() && p < e.paddedEnd()) {
          return Expectation.complete(truth, "padding after member " + i);
        }
      }
      if (p >= layout.endStart && p < layout.endStart + BLOCK) {
        return Expectation.fail(
            truth, n(), "first end-of-archive block (now neither zeros nor a valid header)");
      }
      return Expectation.complete(truth, "after the first end-of-archive block");
    }

    private Expectation headerFlip(
        List<Member> truth, int i, int block, int p, byte[] mutant, String where) {
      int field = p - block;
      if (field >= 148 && field < 156) {
        long before = octal(tar, block + 148, 8);
        long after = octal(mutant, block + 148, 8);
        if (before >= 0 && before == after) {
          return Expectation.complete(
              truth, "checksum field of the " + where + ", still the same number");
        }
        return Expectation.fail(truth, i, "checksum field of the " + where);
      }
      // A single flip outside the checksum field changes the sum by a power of two, which neither
      // the unsigned nor the signed sum of the block can absorb.
      return Expectation.fail(truth, i, where + " (byte " + field + ")");
    }

    private Expectation paxRecordFlip(List<Member> truth, int i, TarEntry e, int p, byte[] mutant) {
      for (PaxRecord r : e.records) {
        if (p < r.start() || p > r.newline()) {
          continue;
        }
        String what = "pax record '" + r.key() + "' of member " + i;
        if (p <= r.space() || p == r.newline()) {
          return Expectation.fail(truth, i, "length, separator or newline of the " + what);
        }
        if (p == r.eq()) {
          boolean anotherEq = false;
          for (int j = r.space() + 1; j < r.newline(); j++) {
            anotherEq |= mutant[j] == '=';
          }
          return anotherEq
              ? Expectation.either(truth, "'=' of the " + what).onFailure(i, i)
              : Expectation.fail(truth, i, "'=' of the " + what + ": a record without a key");
        }
        if (p < r.eq()) {
          String key =
              new String(mutant, r.space() + 1, r.eq() - r.space() - 1, StandardCharsets.UTF_8);
          if (key.equals("path") || key.equals("size")) {
            return Expectation.either(truth, "key of the " + what + ", now " + key).onFailure(i, i);
          }
          if (r.key().equals("path")) {
            // Tar cannot tell: the record is ignored, and the ustar name field names the member.
            List<Member> renamed = new ArrayList<>(truth);
            renamed.set(i, new Member(e.ustarName, truth.get(i).bytes()));
            return Expectation.complete(renamed, "key of the " + what + ": the ustar name applies");
          }
          return Expectation.complete(
              truth, "key of the " + what + ", a record the reader ignores");
        }
        if (r.key().equals("path")) {
          // Tar cannot tell either: the member has the name the record now holds, unless that is no
          // longer UTF-8, which the reader refuses rather than guess.
          CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder();
          try {
            String name =
                strict
                    .decode(ByteBuffer.wrap(mutant, r.eq() + 1, r.newline() - r.eq() - 1))
                    .toString();
            List<Member> renamed = new ArrayList<>(truth);
            renamed.set(i, new Member(name, truth.get(i).bytes()));
            return Expectation.complete(
                renamed, "value of the " + what + " (no checksum covers it)");
          } catch (CharacterCodingException notUtf8) {
            return Expectation.fail(truth, i, "value of the " + what + ", now not UTF-8");
          }
        }
        if (r.key().equals("size")) {
          throw new IllegalStateException("the originals have no pax size records");
        }
        return Expectation.complete(
            truth, "value of the " + what + ", a record the reader ignores");
      }
      throw new IllegalStateException("no pax record at " + p);
    }

    Stream<Mutant> truncations() {
      TreeSet<Integer> lengths = new TreeSet<>();
      for (TarEntry e : layout.entries) {
        if (e.paxStart >= 0) {
          addAll(
              lengths,
              e.paxStart,
              e.paxStart + 1,
              e.paxStart + 511,
              e.paxDataStart(),
              e.paxDataStart() + e.paxSize / 2,
              e.paxDataStart() + e.paxSize,
              e.headerStart - 1);
        }
        addAll(
            lengths,
            e.headerStart,
            e.headerStart + 1,
            e.headerStart + 100,
            e.headerStart + 511,
            e.dataStart(),
            e.dataStart() + 1,
            e.dataStart() + e.size / 2,
            e.dataEnd() - 1,
            e.dataEnd(),
            e.dataEnd() + 1,
            e.paddedEnd() - 1);
      }
      addAll(
          lengths,
          layout.endStart,
          layout.endStart + 1,
          layout.endStart + BLOCK - 1,
          layout.endStart + BLOCK,
          layout.endStart + BLOCK + 1,
          layout.endStart + 2 * BLOCK - 1,
          layout.endStart + 2 * BLOCK,
          tar.length - 1);
      everyFew(lengths, tar.length, 150);
      return lengths.stream()
          .filter(l -> l >= 0 && l < tar.length)
          .map(
              length ->
                  new Mutant(
                      "truncated to " + length + " of " + tar.length + " bytes",
                      Arrays.copyOf(tar, length),
                      expectTruncation(length)));
    }

    Expectation expectTruncation(int length) {
      if (length < BLOCK) {
        return Expectation.fail(originals, 0, "less than one block: not recognisable as a shard");
      }
      for (int i = 0; i < n(); i++) {
        TarEntry e = layout.entries.get(i);
        if (length == e.start()) {
          // Indistinguishable from a tar written without end-of-archive blocks, which GNU tar,
          // tarfile and webdataset read as complete: the issue keeps such tars valid.
          return Expectation.complete(
              originals.subList(0, i),
              "exactly before member "
                  + i
                  + ": a tar that ends at a header boundary is complete without its end-of-archive blocks");
        }
        if (length > e.start() && length < e.dataStart()) {
          return Expectation.fail(originals, i, "inside the headers of member " + i);
        }
        if (length >= e.dataStart() && length < e.dataEnd()) {
          return Expectation.fail(originals, i, "inside the data of member " + i);
        }
        if (length >= e.dataEnd() && length < e.paddedEnd() && i < n() - 1) {
          return Expectation.fail(
              originals,
              i + 1,
              "inside the padding after member "
                  + i
                  + ": no end-of-archive block, so the members after it are missing");
        }
      }
      if (length <= layout.endStart) {
        return Expectation.failOrComplete(
            originals,
            n(),
            "after the last member's data, before the end-of-archive "
                + "blocks: every member is there, the end-of-archive blocks are not");
      }
      return Expectation.complete(
          originals, "inside the trailing zeros (end-of-archive blocks and record padding)");
    }

    /**
     * The size field of some members claims more than the shard holds; the header checksum is made
     * valid.
     */
    Stream<Mutant> forgedSizes() {
      List<Mutant> mutants = new ArrayList<>();
      Set<Integer> targets = new TreeSet<>(List.of(0, n() / 2, n() - 1));
      for (int i = 0; i < n(); i++) {
        if (layout.entries.get(i).paxStart >= 0) {
          targets.add(i); // a member named by a pax record
          break;
        }
      }
      for (int i : targets) {
        int header = layout.entries.get(i).headerStart;
        for (long claim : new long[] {MIB_60, MIB_250, GIB_8}) {
          for (boolean base256 :
              claim == GIB_8 ? new boolean[] {false, true} : new boolean[] {false}) {
            byte[] mutant = tar.clone();
            writeSize(mutant, header, claim, base256);
            String label =
                "member "
                    + i
                    + " claims "
                    + claim
                    + " bytes"
                    + (base256 ? " (base-256)" : " (octal)");
            mutants.add(
                new Mutant(label, mutant, Expectation.fail(truth(mutant), i, "forged size")));
          }
        }
      }
      return mutants.stream();
    }
  }

  /** Hand-made tars whose pax header claims a size the shard does not hold. */
  static Stream<Mutant> forgedPaxSizes(UnaryOperator<byte[]> wrap) {
    List<Mutant> mutants = new ArrayList<>();
    for (long claim : new long[] {MIB_60, MIB_250, GIB_8, Long.MAX_VALUE}) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] record = paxRecord("size", Long.toString(claim));
      out.writeBytes(ustarHeader("PaxHeaders/forged.bin", 'x', record.length));
      out.writeBytes(Arrays.copyOf(record, padded(record.length)));
      out.writeBytes(ustarHeader("forged.bin", '0', 5));
      out.writeBytes(Arrays.copyOf(utf8("12345"), BLOCK));
      out.writeBytes(ustarHeader("after.txt", '0', 3));
      out.writeBytes(Arrays.copyOf(utf8("abc"), BLOCK));
      out.writeBytes(new byte[2 * BLOCK]);
      List<Member> truth =
          List.of(new Member("forged.bin", utf8("12345")), new Member("after.txt", utf8("abc")));
      mutants.add(
          new Mutant(
              "pax size record of " + claim + " bytes",
              wrap.apply(out.toByteArray()),
              Expectation.fail(truth, 0, "forged pax size")));
    }
    return mutants.stream();
  }

  // ---------------------------------------------------------------------------------------------
  // tar.gz and tar.lz4

  enum Codec {
    GZIP("tar.gz"),
    LZ4("tar.lz4");

    final String extension;

    Codec(String extension) {
      this.extension = extension;
    }

    byte[] compress(byte[] data) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (OutputStream c =
          this == GZIP
              ? new GzipCompressorOutputStream(out)
              : new FramedLZ4CompressorOutputStream(out)) {
        c.write(data);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      return out.toByteArray();
    }

    /**
     * Everything the decompressor yields before it fails or ends. A read that fails loses what it
     * had decompressed, so the bytes just before a failure are read one at a time, as a reader
     * asking for no more than a member holds gets them.
     */
    byte[] decodeLeniently(byte[] compressed) {
      int fast = decode(compressed, 8192, Integer.MAX_VALUE).length;
      return decode(compressed, 1, fast);
    }

    /**
     * The most a reader can get out of a truncated stream: a decompressor may hold back output it
     * could produce when a read asks for more than the input yields, so the reader gets at most
     * this.
     */
    int decodableLength(byte[] truncated) {
      int length = decodeLeniently(truncated).length;
      if (this == GZIP && truncated.length > 10) {
        Inflater inflater = new Inflater(true);
        inflater.setInput(truncated, 10, truncated.length - 10);
        byte[] buffer = new byte[1 << 16];
        int total = 0;
        try {
          for (int n; (n = inflater.inflate(buffer)) > 0; ) {
            total += n;
          }
        } catch (DataFormatException e) {
          // what came before counts
        } finally {
          inflater.end();
        }
        length = Math.max(length, total);
      }
      return length;
    }

    byte[] decode(byte[] compressed, int chunk, int fastUntil) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      try (InputStream in =
          this == GZIP
              ? GzipCompressorInputStream.builder()
                  .setByteArray(compressed)
                  .setDecompressConcatenated(true)
                  .get()
              : new FramedLZ4CompressorInputStream(new ByteArrayInputStream(compressed), true)) {
        while (out.size() <= (4 << 20)) { // beyond that, more than any original: diverged already
          int want =
              out.size() < fastUntil ? Math.min(buffer.length, fastUntil - out.size()) : chunk;
          int n = in.read(buffer, 0, want);
          if (n < 0) {
            break;
          }
          out.write(buffer, 0, n);
        }
      } catch (IOException | RuntimeException e) {
        // The reader sees the same failure; what came before it is what counts here.
      }
      return out.toByteArray();
    }
  }

  static final class CompressedCase {
    final Codec codec;
    final List<Member> originals;
    final byte[] compressed;
    final byte[] tar; // the uncompressed stream
    final TarLayout layout;
    final List<int[]> headerRegions = new ArrayList<>(); // [start, end, kind]: kinds below
    static final int FAILS_AT_START = 0;
    static final int HARMLESS = 1;
    static final int DATA = 2;
    static final int FAILS_AT_END = 3;
    static final int GZIP_FLAGS = 4;
    static final int LZ4_END_MARK_FLAG = 5;

    CompressedCase(Codec codec, List<Member> originals, byte[] compressed) {
      this.codec = codec;
      this.originals = originals;
      this.compressed = compressed;
      this.tar = codec.decodeLeniently(compressed);
      this.layout = TarLayout.of(tar);
      int end = compressed.length;
      if (codec == Codec.GZIP) {
        if (compressed[3] != 0) {
          throw new IllegalStateException("gzip header with optional fields: not modelled");
        }
        headerRegions.add(new int[] {0, 3, FAILS_AT_START}); // magic, method
        headerRegions.add(new int[] {3, 4, GZIP_FLAGS});
        // Mtime, extra flags, OS: nothing checks them.
        headerRegions.add(new int[] {4, 10, HARMLESS});
        headerRegions.add(new int[] {10, end - 8, DATA});
        headerRegions.add(new int[] {end - 8, end, FAILS_AT_END}); // CRC-32 and length
      } else {
        int flags = compressed[4];
        if ((flags & 0x08) != 0 || (flags & 0x10) != 0 || (flags & 0x04) == 0) {
          throw new IllegalStateException(
              "lz4 frame with content size or block checksums: not modelled");
        }
        headerRegions.add(new int[] {0, 7, FAILS_AT_START}); // magic, descriptor and its checksum
        int pos = 7;
        while (true) {
          long size = u32(compressed, pos) & 0x7fffffffL;
          if (size == 0) {
            // The end mark is a block size of 0, whatever its "uncompressed" bit (bit 7 of its last
            // byte) says.
            headerRegions.add(new int[] {pos, pos + 3, FAILS_AT_END});
            headerRegions.add(new int[] {pos + 3, pos + 4, LZ4_END_MARK_FLAG});
            headerRegions.add(new int[] {pos + 4, end, FAILS_AT_END}); // content checksum
            break;
          }
          headerRegions.add(new int[] {pos, pos + 4, DATA}); // block size
          headerRegions.add(new int[] {pos + 4, (int) (pos + 4 + size), DATA});
          pos += 4 + (int) size;
        }
      }
    }

    int n() {
      return originals.size();
    }

    /** How many members lie wholly in what the decompressor yields identically to the original. */
    int intactMembers(byte[] mutant) {
      byte[] decoded = codec.decodeLeniently(mutant);
      int same = Arrays.mismatch(decoded, tar);
      return membersWithin(same < 0 ? tar.length : same);
    }

    /** How many members' data end within the first {@code bytes} bytes of the tar. */
    int membersWithin(int bytes) {
      int members = 0;
      while (members < n() && layout.entries.get(members).dataEnd() <= bytes) {
        members++;
      }
      return members;
    }

    Stream<Mutant> flips(Random random) {
      List<int[]> regions = new ArrayList<>();
      for (int[] r : headerRegions) {
        regions.add(new int[] {r[0], r[1]});
      }
      return flipPositions(random, regions, compressed.length, 40, 120).stream()
          .map(
              flip -> {
                byte[] mutant = flip(compressed, flip[0], flip[1]);
                return new Mutant(
                    "flip of bit " + flip[1] + " at " + flip[0],
                    mutant,
                    expectFlip(flip[0], flip[1], mutant));
              });
    }

    Expectation expectFlip(int p, int bit, byte[] mutant) {
      for (int[] r : headerRegions) {
        if (p < r[0] || p >= r[1]) {
          continue;
        }
        switch (r[2]) {
          case FAILS_AT_START -> {
            return Expectation.fail(originals, 0, codec + " header");
          }
          case HARMLESS -> {
            return Expectation.complete(originals, codec + " header field nothing checks");
          }
          case FAILS_AT_END -> {
            return Expectation.fail(
                originals, n(), codec + " trailer (checksum, length or end mark)");
          }
          case LZ4_END_MARK_FLAG -> {
            if (bit == 7) {
              return Expectation.complete(
                  originals,
                  "the uncompressed-block flag of the lz4 end mark, still a block of 0 bytes");
            }
            return Expectation.fail(originals, n(), "lz4 end mark");
          }
          case GZIP_FLAGS -> {
            if (bit == 0) {
              return Expectation.complete(originals, "gzip FTEXT flag, a hint nothing checks");
            }
            return Expectation.either(originals, "gzip flags").verified(intactMembers(mutant));
          }
          default -> {
            // A read that completes has passed the stream's checksum; one that fails may have read
            // damaged members first (the checksum comes at the end), but none before the damage.
            return Expectation.either(originals, codec + " compressed data")
                .verified(intactMembers(mutant));
          }
        }
      }
      throw new IllegalStateException("no region at " + p);
    }

    Stream<Mutant> truncations() {
      TreeSet<Integer> lengths = new TreeSet<>();
      for (int[] r : headerRegions) {
        addAll(lengths, r[0], r[0] + 1, (r[0] + r[1]) / 2, r[1] - 1);
      }
      // Where the decompressor first yields each boundary of the tar inside.
      for (TarEntry e : layout.entries) {
        for (int boundary :
            new int[] {
              e.start(),
              e.headerStart + BLOCK / 2,
              e.dataStart(),
              e.dataStart() + e.size / 2,
              e.dataEnd(),
              e.paddedEnd()
            }) {
          int at = compressedLengthYielding(boundary);
          addAll(lengths, at - 1, at, at + 1);
        }
      }
      int at = compressedLengthYielding(layout.endStart + BLOCK);
      addAll(lengths, at - 1, at, at + 1);
      everyFew(lengths, compressed.length, 120);
      return lengths.stream()
          .filter(l -> l >= 0 && l < compressed.length)
          .map(
              length -> {
                byte[] mutant = Arrays.copyOf(compressed, length);
                // Every member wholly in what the decompressor can yield is returned, but for those
                // whose end comes within what it may hold back (a match it has not copied out yet,
                // say).
                int decodable = codec.decodableLength(mutant);
                return new Mutant(
                    "truncated to " + length + " of " + compressed.length + " bytes",
                    mutant,
                    Expectation.fail(
                            originals, membersWithin(decodable), "truncated " + codec + " stream")
                        .onFailure(membersWithin(decodable - HELD_BACK), membersWithin(decodable)));
              });
    }

    /**
     * The shortest prefix of the compressed stream that decompresses to at least {@code bytes}
     * bytes.
     */
    private int compressedLengthYielding(int bytes) {
      int lo = 0;
      int hi = compressed.length;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (codec.decode(Arrays.copyOf(compressed, mid), 8192, Integer.MAX_VALUE).length >= bytes) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      return lo;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Zip

  static final class ZipEntryLayout {
    int lfh;
    int flags;
    int method;
    int nameLength;
    int extraLength;
    int zip64Extra = -1; // offset of the ZIP64 extra field's data in the local header, if any
    int dataLength;
    int descriptor = -1;
    int end; // after the data and descriptor
    int cd; // its central directory header
    int cdEnd;
    int cdZip64Extra = -1;

    int nameStart() {
      return lfh + 30;
    }

    int extraStart() {
      return nameStart() + nameLength;
    }

    int dataStart() {
      return extraStart() + extraLength;
    }

    int dataEnd() {
      return dataStart() + dataLength;
    }
  }

  static final class ZipLayout {
    final List<ZipEntryLayout> entries = new ArrayList<>();
    int cdStart;
    int cdEnd; // where the end records start (zip64 end record or end of central directory)
    int eocd;
    int length;

    static ZipLayout of(byte[] zip) {
      ZipLayout layout = new ZipLayout();
      layout.length = zip.length;
      layout.eocd = zip.length - 22;
      if (u32(zip, layout.eocd) != 0x06054b50L) {
        throw new IllegalStateException("no end of central directory record (or a comment)");
      }
      long cdOffset = u32(zip, layout.eocd + 16);
      int count = u16(zip, layout.eocd + 10);
      int locator = layout.eocd - 20;
      if (locator >= 0 && u32(zip, locator) == 0x07064b50L) {
        int zip64Eocd = (int) u64(zip, locator + 8);
        cdOffset = u64(zip, zip64Eocd + 48);
        count = (int) u64(zip, zip64Eocd + 32);
        layout.cdEnd = zip64Eocd;
      } else {
        layout.cdEnd = layout.eocd;
      }
      layout.cdStart = (int) cdOffset;
      int pos = layout.cdStart;
      for (int i = 0; i < count; i++) {
        if (u32(zip, pos) != 0x02014b50L) {
          throw new IllegalStateException("no central directory header at " + pos);
        }
        ZipEntryLayout e = new ZipEntryLayout();
        e.cd = pos;
        e.flags = u16(zip, pos + 8);
        e.method = u16(zip, pos + 10);
        long compressedSize = u32(zip, pos + 20);
        long size = u32(zip, pos + 24);
        int nameLength = u16(zip, pos + 28);
        int extraLength = u16(zip, pos + 30);
        long lfh = u32(zip, pos + 42);
        int extra = pos + 46 + nameLength;
        int zip64 = findExtra(zip, extra, extraLength, 0x0001);
        if (zip64 >= 0) {
          e.cdZip64Extra = zip64;
          int field = zip64;
          if (size == 0xffffffffL) {
            field += 8;
          }
          if (compressedSize == 0xffffffffL) {
            compressedSize = u64(zip, field);
            field += 8;
          }
          if (lfh == 0xffffffffL) {
            lfh = u64(zip, field);
          }
        }
        e.cdEnd = extra + extraLength + u16(zip, pos + 32);
        e.lfh = (int) lfh;
        e.nameLength = u16(zip, e.lfh + 26);
        e.extraLength = u16(zip, e.lfh + 28);
        e.zip64Extra = findExtra(zip, e.extraStart(), e.extraLength, 0x0001);
        e.dataLength = (int) compressedSize;
        layout.entries.add(e);
        pos = e.cdEnd;
      }
      for (int i = 0; i < count; i++) {
        ZipEntryLayout e = layout.entries.get(i);
        e.end = i + 1 < count ? layout.entries.get(i + 1).lfh : layout.cdStart;
        if ((e.flags & 8) != 0) {
          e.descriptor = e.dataEnd();
        } else if (e.end != e.dataEnd()) {
          throw new IllegalStateException("bytes between entries");
        }
      }
      return layout;
    }

    /** The offset of the data of the extra field {@code id}, or -1. */
    static int findExtra(byte[] zip, int start, int length, int id) {
      for (int p = start; p + 4 <= start + length; p += 4 + u16(zip, p + 2)) {
        if (u16(zip, p) == id) {
          return p + 4;
        }
      }
      return -1;
    }
  }

  static final class ZipCase {
    final List<Member> originals;
    final byte[] zip;
    final ZipLayout layout;

    ZipCase(List<Member> originals, byte[] zip) {
      this.originals = originals;
      this.zip = zip;
      this.layout = ZipLayout.of(zip);
      if (layout.entries.size() != originals.size()) {
        throw new IllegalStateException("layout has " + layout.entries.size() + " entries");
      }
    }

    int n() {
      return originals.size();
    }

    Stream<Mutant> flips(Random random) {
      List<int[]> regions = new ArrayList<>();
      for (ZipEntryLayout e : layout.entries) {
        regions.add(new int[] {e.lfh, e.nameStart()});
        regions.add(new int[] {e.nameStart(), e.extraStart()});
        regions.add(new int[] {e.extraStart(), e.dataStart()});
        regions.add(new int[] {e.dataStart(), e.dataEnd()});
        regions.add(new int[] {e.dataEnd(), e.end});
        regions.add(new int[] {e.cd, e.cdEnd});
      }
      regions.add(new int[] {layout.cdEnd, zip.length});
      return flipPositions(random, regions, zip.length, 6, 30).stream()
          .map(
              flip ->
                  new Mutant(
                      "flip of bit " + flip[1] + " at " + flip[0],
                      flip(zip, flip[0], flip[1]),
                      expectFlip(flip[0]).orOneMemberEarlier()));
    }

    Expectation expectFlip(int p) {
      List<Member> o = originals;
      int n = n();
      for (int i = 0; i < n; i++) {
        ZipEntryLayout e = layout.entries.get(i);
        String m = " of entry " + i;
        if (p >= e.lfh && p < e.nameStart()) {
          int field = p - e.lfh;
          if (field < 4) {
            return Expectation.fail(o, i, "local header signature" + m);
          }
          if (field >= 8 && field < 10) {
            return Expectation.fail(o, i, "compression method" + m);
          }
          if (field >= 14 && field < 26) {
            if ((e.flags & 8) != 0 || (e.zip64Extra >= 0 && field >= 18)) {
              // Zeros (a data descriptor follows the data) or 0xffffffff (the ZIP64 field holds the
              // sizes).
              return Expectation.either(o, "CRC or size placeholder in the local header" + m)
                  .onFailure(i, n)
                  .nameCheckedAtEnd(i);
            }
            return Expectation.fail(o, i, "CRC-32 or size in the local header" + m);
          }
          if (field >= 26) {
            return Expectation.fail(o, i, "name or extra length" + m)
                .onFailure(i, n)
                .nameCheckedAtEnd(i);
          }
          return Expectation.either(o, "version, flags or time in the local header" + m)
              .onFailure(i, n)
              .nameCheckedAtEnd(i);
        }
        if (p >= e.nameStart() && p < e.extraStart()) {
          return Expectation.fail(
                  o, n, "name in the local header" + m + ", unlike the central directory's")
              .onFailure(i, n)
              .nameCheckedAtEnd(i);
        }
        if (p >= e.extraStart() && p < e.dataStart()) {
          if (e.zip64Extra >= 0 && p >= e.zip64Extra && p < e.zip64Extra + 16) {
            return Expectation.fail(o, i, "size in the ZIP64 extra field" + m);
          }
          return Expectation.either(o, "extra field" + m).onFailure(i, n);
        }
        if (p >= e.dataStart() && p < e.dataEnd()) {
          if (e.method == 0) {
            return Expectation.fail(o, i, "stored data" + m + " (its CRC-32)");
          }
          // A flip in deflate's padding bits changes nothing; any other fails the CRC-32.
          return Expectation.failOrComplete(o, i, "deflated data" + m);
        }
        if (p >= e.dataEnd() && p < e.end) {
          return Expectation.fail(o, i, "data descriptor" + m);
        }
        if (p >= e.cd && p < e.cdEnd) {
          int field = p - e.cd;
          if (field < 4
              || (field >= 16 && field < 34)
              || (field >= 46 && field < 46 + e.nameLength)) {
            return Expectation.fail(
                o, n, "central directory signature, CRC-32, size, lengths or name" + m);
          }
          if (e.cdZip64Extra >= 0 && p >= e.cdZip64Extra && p < e.cdZip64Extra + 16) {
            return Expectation.fail(o, n, "size in the central directory's ZIP64 field" + m);
          }
          return Expectation.failOrComplete(o, n, "other central directory field" + m);
        }
      }
      boolean counts =
          p - layout.eocd >= 8 && p - layout.eocd < 12 && u16(zip, layout.eocd + 8) != 0xffff;
      if (p >= layout.eocd && (p - layout.eocd < 4 || counts)) {
        return Expectation.fail(o, n, "end of central directory signature or entry count");
      }
      return Expectation.failOrComplete(o, n, "end records");
    }

    Stream<Mutant> truncations() {
      TreeSet<Integer> lengths = new TreeSet<>();
      for (ZipEntryLayout e : layout.entries) {
        addAll(
            lengths,
            e.lfh,
            e.lfh + 1,
            e.lfh + 29,
            e.nameStart(),
            e.extraStart(),
            e.dataStart(),
            e.dataStart() + 1,
            e.dataStart() + e.dataLength / 2,
            e.dataEnd() - 1,
            e.dataEnd(),
            e.dataEnd() + 1,
            e.end - 1,
            e.end,
            e.cd,
            e.cd + 1,
            e.cdEnd - 1);
      }
      addAll(lengths, layout.cdEnd, layout.eocd, layout.eocd + 1, layout.eocd + 12, zip.length - 1);
      everyFew(lengths, zip.length, 120);
      return lengths.stream()
          .filter(l -> l >= 0 && l < zip.length)
          .map(
              length -> {
                int whole = 0;
                while (whole < n() && layout.entries.get(whole).end <= length) {
                  whole++;
                }
                return new Mutant(
                    "truncated to " + length + " of " + zip.length + " bytes",
                    Arrays.copyOf(zip, length),
                    Expectation.fail(
                            originals, whole, "truncated zip (the central directory is incomplete)")
                        .orOneMemberEarlier());
              });
    }

    /**
     * Sizes patched consistently in the local header (or data descriptor) and the central
     * directory.
     */
    Stream<Mutant> forgedSizes() {
      List<Mutant> mutants = new ArrayList<>();
      for (int i : new TreeSet<>(List.of(0, n() / 2, n() - 1))) {
        ZipEntryLayout e = layout.entries.get(i);
        for (long claim : new long[] {MIB_60, MIB_250, 0xfffffff0L, GIB_8}) {
          boolean zip64 = e.zip64Extra >= 0;
          if ((claim > 0xffffffffL && !zip64) || (zip64 && e.cdZip64Extra < 0)) {
            continue;
          }
          byte[] mutant = zip.clone();
          if (zip64) {
            putU64(mutant, e.zip64Extra, claim);
            putU64(mutant, e.zip64Extra + 8, claim);
            putU64(mutant, e.cdZip64Extra, claim);
            putU64(mutant, e.cdZip64Extra + 8, claim);
          } else {
            if (e.descriptor >= 0) {
              int sizes = e.descriptor + (u32(zip, e.descriptor) == 0x08074b50L ? 8 : 4);
              putU32(mutant, sizes, claim);
              putU32(mutant, sizes + 4, claim);
            } else {
              putU32(mutant, e.lfh + 18, claim);
              putU32(mutant, e.lfh + 22, claim);
            }
            putU32(mutant, e.cd + 20, claim);
            putU32(mutant, e.cd + 24, claim);
          }
          mutants.add(
              new Mutant(
                  "entry " + i + " claims " + claim + " bytes",
                  mutant,
                  Expectation.fail(originals, i, "forged size")));
        }
      }
      return mutants.stream();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Reading a mutant, and judging what was read

  record Read(List<Member> members, Throwable failure) {}

  static Read readMembers(byte[] bytes, String shard, boolean sizeKnown, long limit) {
    List<Member> members = new ArrayList<>();
    InputStream in = new ByteArrayInputStream(bytes);
    try (ShardReader reader =
        sizeKnown ? ShardReader.open(in, shard, bytes.length) : ShardReader.open(in, shard)) {
      for (ShardMember m; (m = reader.next()) != null; ) {
        members.add(new Member(m.name(), m.readContent(limit, shard)));
        if (members.size() > 1000) {
          throw new AssertionError("more members than the shard can hold");
        }
      }
      return new Read(members, null);
      // OutOfMemoryError and assertion failures included: they are what is tested.
    } catch (Throwable t) {
      return new Read(members, t);
    }
  }

  /** The members read, checked against the expectation; null when they fit. */
  static String judgeMembers(Expectation x, Read read, String shard) {
    Throwable f = read.failure;
    List<Member> got = read.members;
    if (f == null) {
      if (x.outcome == Expectation.Outcome.FAIL) {
        return "completed normally with " + got.size() + " members" + missing(x.truth, got);
      }
      if (!sameMembers(x.truth, got)) {
        return "completed normally, but " + firstDifference(x.truth, got);
      }
      return null;
    }
    String problem = failureProblem(f, shard);
    if (problem != null) {
      return problem;
    }
    if (x.outcome == Expectation.Outcome.COMPLETE) {
      return "failed: " + f.getMessage();
    }
    if (got.size() < x.minOnFailure || got.size() > x.maxOnFailure) {
      return "failed after " + got.size() + " members " + got + " (" + f.getMessage() + ")";
    }
    for (int i = 0; i < got.size(); i++) {
      if (i >= x.verified) {
        break;
      }
      Member want = x.truth.get(i);
      Member have = got.get(i);
      if (!Arrays.equals(want.bytes(), have.bytes())
          || (!want.name().equals(have.name()) && i != x.nameCheckedAtEnd)) {
        return "member "
            + i
            + " read as "
            + have
            + ", not as "
            + want
            + " (then: "
            + f.getMessage()
            + ")";
      }
    }
    return null;
  }

  /** Why a failure is not a proper one (a WdsFormatException naming the shard), or null. */
  static String failureProblem(Throwable f, String shard) {
    if (!(f instanceof WdsFormatException)) {
      return "threw " + f + stackTop(f);
    }
    if (!f.getMessage().contains(shard)) {
      return "failed without naming the shard: " + f.getMessage();
    }
    return null;
  }

  /**
   * Reads samples (webdataset grouping) and checks them against the expectation; null when they
   * fit.
   */
  static String judgeSamples(
      Expectation x, byte[] bytes, String shard, boolean sizeKnown, Predicate<String> selected) {
    // The members an honest reader delivers, by (key, extension), in order.
    List<String[]> keys = new ArrayList<>();
    for (Member m : x.truth) {
      String[] split = KeyRule.WEBDATASET.split(m.name());
      if (split != null) {
        split[1] = split[1].toLowerCase(Locale.ROOT);
      }
      keys.add(split);
    }
    boolean rulesHold = groupingRulesHold(keys);
    int next = 0; // the first truth member not yet delivered
    int delivered = 0;
    int malformed = 0;
    List<String> unverified = new ArrayList<>();
    boolean ended = false;
    WdsFormatException corrupt = null;
    InputStream in = new ByteArrayInputStream(bytes);
    ShardReader reader;
    try {
      reader = sizeKnown ? ShardReader.open(in, shard, bytes.length) : ShardReader.open(in, shard);
    } catch (WdsFormatException e) {
      reader = null;
      corrupt = e;
    } catch (Throwable t) {
      return "ShardReader.open threw " + t + stackTop(t);
    }
    if ((corrupt != null && !corrupt.isCorruptShard())
        || (corrupt != null && failureProblem(corrupt, shard) != null)) {
      return "ShardReader.open failed wrongly: " + corrupt;
    }
    try (SampleReader samples =
        reader == null
            ? null
            : new SampleReader(reader, KeyRule.WEBDATASET, true, selected, LIMIT)) {
      for (int calls = 0; samples != null; calls++) {
        if (calls > 4 * (x.truth.size() + 4)) {
          return "SampleReader does not come to an end";
        }
        Sample s;
        try {
          s = samples.next();
        } catch (WdsFormatException e) {
          String problem = failureProblem(e, shard);
          if (problem != null) {
            return "SampleReader " + problem;
          }
          if (e.isCorruptShard()) {
            corrupt = e;
            break;
          }
          malformed++;
          continue;
        }
        if (s == null) {
          ended = true;
          break;
        }
        for (Map.Entry<String, byte[]> content : s.members().entrySet()) {
          int j = next;
          while (j < keys.size()
              && (keys.get(j) == null
                  || !keys.get(j)[0].equals(s.key())
                  || !keys.get(j)[1].equals(content.getKey()))) {
            j++;
          }
          if (j == keys.size()) {
            unverified.add(
                "sample " + s.key() + " ." + content.getKey() + " is no member of " + x.truth);
            continue;
          }
          if (!Arrays.equals(x.truth.get(j).bytes(), content.getValue())) {
            unverified.add(
                "sample "
                    + s.key()
                    + " ."
                    + content.getKey()
                    + " has other bytes than "
                    + x.truth.get(j));
            if (j < x.verified) {
              return "SampleReader delivered " + unverified.get(unverified.size() - 1);
            }
          }
          delivered++;
          next = j + 1;
        }
      }
    } catch (Throwable t) {
      return "SampleReader threw " + t + stackTop(t);
    }
    if (corrupt != null) {
      if (x.outcome == Expectation.Outcome.COMPLETE) {
        return "SampleReader failed: " + corrupt.getMessage();
      }
      boolean excused = x.verified < x.truth.size() || x.nameCheckedAtEnd >= 0;
      if (!unverified.isEmpty() && !excused) {
        return "SampleReader delivered "
            + unverified.get(0)
            + " (then: "
            + corrupt.getMessage()
            + ")";
      }
      return null;
    }
    if (x.outcome == Expectation.Outcome.FAIL) {
      return "SampleReader completed normally with "
          + delivered
          + " members ("
          + malformed
          + " malformed samples)";
    }
    if (!unverified.isEmpty()) {
      return "SampleReader completed normally, but delivered " + unverified.get(0);
    }
    if (rulesHold) {
      int wanted = 0;
      for (String[] k : keys) {
        wanted += k != null && selected.test(k[1]) ? 1 : 0;
      }
      if (malformed > 0 || delivered != wanted) {
        return "SampleReader completed normally with "
            + delivered
            + " of "
            + wanted
            + " members and "
            + malformed
            + " malformed samples";
      }
    }
    return ended ? null : "SampleReader stopped without an end";
  }

  /** Whether the members group into samples without a repeated extension or a key coming back. */
  static boolean groupingRulesHold(List<String[]> keys) {
    Set<String> finished = new HashSet<>();
    Set<String> extensions = new HashSet<>();
    String current = null;
    for (String[] k : keys) {
      if (k == null) {
        continue;
      }
      if (!k[0].equals(current)) {
        if (current != null) {
          finished.add(current);
        }
        if (finished.contains(k[0])) {
          return false;
        }
        current = k[0];
        extensions.clear();
      }
      if (!extensions.add(k[1])) {
        return false;
      }
    }
    return true;
  }

  private static DynamicTest corpus(
      String name, String extension, Supplier<Stream<Mutant>> mutants) {
    return DynamicTest.dynamicTest(
        name,
        () -> {
          List<String> violations = new ArrayList<>();
          Map<String, Integer> outcomes = new TreeMap<>();
          int id = 0;
          for (Mutant mutant : (Iterable<Mutant>) mutants.get()::iterator) {
            id++;
            String shard =
                "ais://corpus/"
                    + name.replaceAll("[^A-Za-z0-9.]+", "-")
                    + "/"
                    + id
                    + "."
                    + extension;
            List<String> problems = new ArrayList<>();
            for (boolean sizeKnown : new boolean[] {true, false}) {
              String mode = sizeKnown ? "[size known] " : "[size unknown] ";
              Read read = readMembers(mutant.bytes(), shard, sizeKnown, LIMIT);
              String problem = judgeMembers(mutant.expect(), read, shard);
              if (problem != null) {
                problems.add(mode + "ShardReader " + problem);
              }
              if (sizeKnown) {
                outcomes.merge(read.failure == null ? "completed" : "failed", 1, Integer::sum);
              }
              if (mutant.expect().why.startsWith("forged")) {
                // With no limit on members, the reader's memory must still follow the bytes that
                // arrive.
                Read unlimited = readMembers(mutant.bytes(), shard, sizeKnown, Long.MAX_VALUE);
                problem = judgeMembers(mutant.expect(), unlimited, shard);
                if (problem != null) {
                  problems.add(mode + "[no member limit] ShardReader " + problem);
                }
              }
              if (sizeKnown) {
                continue; // samples are read as the connector reads them, without the object's size
              }
              // Every extension read, and one whose content is passed over in the stream.
              for (Predicate<String> selected :
                  List.<Predicate<String>>of(e -> true, e -> !e.equals("bin"))) {
                problem = judgeSamples(mutant.expect(), mutant.bytes(), shard, false, selected);
                if (problem != null) {
                  problems.add(mode + problem);
                }
              }
            }
            if (!problems.isEmpty()) {
              violations.add(
                  mutant.label()
                      + " — "
                      + mutant.expect()
                      + ":\n      "
                      + String.join("\n      ", problems));
            }
          }
          System.out.println(
              name
                  + ": "
                  + id
                  + " mutants, "
                  + outcomes
                  + ", "
                  + violations.size()
                  + " read wrongly");
          if (!violations.isEmpty()) {
            fail(
                name
                    + ": "
                    + violations.size()
                    + " of "
                    + id
                    + " mutants read wrongly ("
                    + outcomes
                    + "):\n  "
                    + String.join("\n  ", violations.subList(0, Math.min(violations.size(), 12)))
                    + (violations.size() > 12 ? "\n  ..." : ""));
          }
        });
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /** [position, bit] pairs: a few in every region (all of a small one), and some anywhere. */
  static List<int[]> flipPositions(
      Random random, List<int[]> regions, int length, int perRegion, int anywhere) {
    TreeSet<Integer> positions = new TreeSet<>();
    for (int[] r : regions) {
      int size = r[1] - r[0];
      if (size <= perRegion) {
        for (int p = r[0]; p < r[1]; p++) {
          positions.add(p);
        }
      } else {
        addAll(positions, r[0], r[1] - 1);
        for (int k = 0; k < perRegion - 2; k++) {
          positions.add(r[0] + random.nextInt(size));
        }
      }
    }
    for (int k = 0; k < anywhere; k++) {
      positions.add(random.nextInt(length));
    }
    List<int[]> flips = new ArrayList<>();
    for (int p : positions) {
      flips.add(new int[] {p, random.nextInt(8)});
    }
    return flips;
  }

  static byte[] flip(byte[] original, int position, int bit) {
    byte[] mutant = original.clone();
    mutant[position] ^= (byte) (1 << bit);
    return mutant;
  }

  private static void addAll(Set<Integer> set, int... values) {
    for (int v : values) {
      set.add(v);
    }
  }

  private static void everyFew(Set<Integer> lengths, int length, int count) {
    int step = Math.max(1, length / count);
    for (int l = 0; l < length; l += step) {
      lengths.add(l);
    }
  }

  static boolean sameMembers(List<Member> a, List<Member> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).name().equals(b.get(i).name())
          || !Arrays.equals(a.get(i).bytes(), b.get(i).bytes())) {
        return false;
      }
    }
    return true;
  }

  private static String firstDifference(List<Member> truth, List<Member> got) {
    for (int i = 0; i < Math.min(truth.size(), got.size()); i++) {
      Member want = truth.get(i);
      Member have = got.get(i);
      if (!want.name().equals(have.name()) || !Arrays.equals(want.bytes(), have.bytes())) {
        return "member "
            + i
            + " is "
            + have
            + (want.name().equals(have.name()) ? " with other bytes" : "")
            + ", not "
            + want;
      }
    }
    return got.size() + " members instead of " + truth.size() + missing(truth, got);
  }

  private static String missing(List<Member> truth, List<Member> got) {
    List<String> names = new ArrayList<>();
    for (int i = got.size(); i < truth.size(); i++) {
      names.add(truth.get(i).name());
    }
    return names.isEmpty() ? "" : ", missing " + names;
  }

  private static String stackTop(Throwable t) {
    StackTraceElement[] stack = t.getStackTrace();
    return stack.length == 0 ? "" : " at " + stack[0];
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] randomBytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  static int padded(long size) {
    return (int) ((size + BLOCK - 1) / BLOCK * BLOCK);
  }

  static boolean isZero(byte[] b, int from, int length) {
    for (int i = from; i < from + length; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  static String cString(byte[] b, int from, int max) {
    int end = from;
    while (end < from + max && b[end] != 0) {
      end++;
    }
    return new String(b, from, end - from, StandardCharsets.UTF_8);
  }

  /**
   * A tar octal field as POSIX and GNU tar read it (leading spaces, digits, then NULs or spaces);
   * -1 if none.
   */
  static long octal(byte[] b, int from, int length) {
    int i = from;
    int end = from + length;
    while (i < end && b[i] == ' ') {
      i++;
    }
    long value = 0;
    int digits = 0;
    for (; i < end && b[i] >= '0' && b[i] <= '7'; i++, digits++) {
      value = value * 8 + (b[i] - '0');
    }
    for (; i < end; i++) {
      if (b[i] != 0 && b[i] != ' ') {
        return -1;
      }
    }
    return digits == 0 ? -1 : value;
  }

  /** Writes a size into the header at {@code header} and makes its checksum valid again. */
  static void writeSize(byte[] tar, int header, long size, boolean base256) {
    if (base256) {
      Arrays.fill(tar, header + 124, header + 136, (byte) 0);
      tar[header + 124] = (byte) 0x80;
      for (int i = 0; i < 8; i++) {
        tar[header + 135 - i] = (byte) (size >>> (8 * i));
      }
    } else {
      String digits = Long.toOctalString(size);
      String field =
          digits.length() >= 12 ? digits : "0".repeat(11 - digits.length()) + digits + "\0";
      System.arraycopy(field.getBytes(StandardCharsets.US_ASCII), 0, tar, header + 124, 12);
    }
    writeChecksum(tar, header);
  }

  static void writeChecksum(byte[] tar, int header) {
    Arrays.fill(tar, header + 148, header + 156, (byte) ' ');
    long sum = 0;
    for (int i = header; i < header + BLOCK; i++) {
      sum += tar[i] & 0xff;
    }
    String field = String.format(Locale.ROOT, "%06o", sum) + "\0 ";
    System.arraycopy(field.getBytes(StandardCharsets.US_ASCII), 0, tar, header + 148, 8);
  }

  static byte[] ustarHeader(String name, char type, long size) {
    byte[] h = new byte[BLOCK];
    byte[] n = utf8(name);
    System.arraycopy(n, 0, h, 0, n.length);
    System.arraycopy(utf8("0000644\0"), 0, h, 100, 8);
    System.arraycopy(utf8("0000000\0"), 0, h, 108, 8);
    System.arraycopy(utf8("0000000\0"), 0, h, 116, 8);
    System.arraycopy(utf8("00000000000\0"), 0, h, 136, 12);
    h[156] = (byte) type;
    System.arraycopy(utf8("ustar\0" + "00"), 0, h, 257, 8);
    writeSize(h, 0, size, false);
    return h;
  }

  static byte[] paxRecord(String key, String value) {
    String body = " " + key + "=" + value + "\n";
    int length = body.length();
    while (length != body.length() + Integer.toString(length).length()) {
      length = body.length() + Integer.toString(length).length();
    }
    return utf8(length + body);
  }

  static int u16(byte[] b, int at) {
    return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
  }

  static long u32(byte[] b, int at) {
    return (u16(b, at) | (long) u16(b, at + 2) << 16) & 0xffffffffL;
  }

  static long u64(byte[] b, int at) {
    return u32(b, at) | u32(b, at + 4) << 32;
  }

  static void putU32(byte[] b, int at, long v) {
    for (int i = 0; i < 4; i++) {
      b[at + i] = (byte) (v >>> (8 * i));
    }
  }

  static void putU64(byte[] b, int at, long v) {
    for (int i = 0; i < 8; i++) {
      b[at + i] = (byte) (v >>> (8 * i));
    }
  }
}
