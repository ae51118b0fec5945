package io.sparkaistore.wds;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A plain tar shard as its DALI index ({@link DaliIndex}) describes it: its samples under the
 * WebDataset key rule, in archive order, with where each member's data lies. It answers which byte
 * ranges hold the members a query wants ({@link #plan}), so that a read fetches those and nothing
 * else, and where the shard can be cut between samples ({@link #slices}).
 *
 * <p>An index is trusted for what the shard holds, as DALI trusts it, but checked where it can be:
 * its offsets must be ordered, block-aligned and inside the shard, and its last member must end
 * where the shard's end-of-archive blocks start. Every member read through it is checked against
 * its tar header ({@link IndexedSampleReader}).
 */
public final class IndexedShard {
  /** GNU tar's and Python's default record: an archive padded to a multiple of 20 blocks. */
  private static final long RECORD = 20 * TarStream.BLOCK;

  /** The two end-of-archive blocks. */
  private static final long END_BLOCKS = 2 * TarStream.BLOCK;

  /**
   * What one more request costs, in bytes of a stream: a range GET's round trips (the gateway's
   * redirect, then the target) cost about a millisecond on loopback, the time a stream takes to
   * deliver about a megabyte. Ranges closer than this are fetched as one, and a plan whose requests
   * and bytes cost more than the shard is not worth it.
   */
  static final long REQUEST_BYTES = 1024 * 1024;

  /** One member as the index places it. */
  static final class Entry {
    final String name;
    final String extension;
    final long offset; // of the data
    final long size;
    final long headerStart; // where reading it starts: the end of the previous member listed

    Entry(String name, String extension, long offset, long size, long headerStart) {
      this.name = name;
      this.extension = extension;
      this.offset = offset;
      this.size = size;
      this.headerStart = headerStart;
    }

    long end() {
      return offset + size;
    }
  }

  /** One sample: its key and members, or the error a stream would raise at it. */
  static final class IndexedSample {
    final String key;
    final List<Entry> members = new ArrayList<>();
    WdsFormatException problem;

    IndexedSample(String key) {
      this.key = key;
    }

    long bytes() {
      return members.isEmpty()
          ? 0
          : members.get(members.size() - 1).end() - members.get(0).headerStart;
    }
  }

  /** The ranges to fetch for a selection of samples, and the samples they serve. */
  public static final class Plan {
    final List<IndexedSample> samples;
    final List<long[]> ranges; // {start, end}, ordered, disjoint
    final List<Entry> fetched; // in archive order
    final int[] rangeOf; // the range of each fetched entry

    Plan(List<IndexedSample> samples, List<long[]> ranges, List<Entry> fetched, int[] rangeOf) {
      this.samples = samples;
      this.ranges = ranges;
      this.fetched = fetched;
      this.rangeOf = rangeOf;
    }

    /** What fetching the ranges costs, in bytes of a stream: their bytes, and their requests. */
    public long cost() {
      return bytes() + ranges.size() * REQUEST_BYTES;
    }

    /** The bytes the ranges cover. */
    public long bytes() {
      long bytes = 0;
      for (long[] r : ranges) {
        bytes += r[1] - r[0];
      }
      return bytes;
    }
  }

  private final String shard;
  private final long shardSize;
  private final List<Entry> entries; // every member listed, in archive order
  private final List<IndexedSample> samples;

  private IndexedShard(
      String shard, long shardSize, List<Entry> entries, List<IndexedSample> samples) {
    this.shard = shard;
    this.shardSize = shardSize;
    this.entries = entries;
    this.samples = samples;
  }

  /**
   * Parses {@code index}, the content of the DALI index {@code indexName} of {@code shard}, a plain
   * tar of {@code shardSize} bytes. Fails with {@link InvalidIndexException} when the index is not
   * a v1.2 index of that shard; the shard itself may still be read by streaming it.
   */
  public static IndexedShard parse(
      String shard, long shardSize, String indexName, byte[] index, boolean lowercaseExtensions)
      throws InvalidIndexException {
    List<String[]> members = members(indexName, index);
    List<Entry> entries = new ArrayList<>(members.size());
    long previousEnd = 0;
    for (String[] m : members) {
      long offset = number(indexName, m[1]);
      long size = number(indexName, m[2]);
      String name = m[3];
      if (offset % TarStream.BLOCK != 0 || offset < blockEnd(previousEnd) + TarStream.BLOCK) {
        throw new InvalidIndexException(
            indexName,
            "member '"
                + name
                + "' at offset "
                + offset
                + " is not after the previous member's data"
                + " and a header, on a 512-byte block");
      }
      if (size > shardSize - offset) { // offset + size may overflow
        throw new InvalidIndexException(
            indexName,
            "member '"
                + name
                + "' of "
                + size
                + " bytes at offset "
                + offset
                + " ends past the shard's "
                + shardSize
                + " bytes");
      }
      if (name.indexOf('\\') >= 0) {
        throw new InvalidIndexException(
            indexName,
            "member '"
                + name
                + "' has a backslash: DALI's wds2idx writes names as 'tar --list' prints them,"
                + " escaped (a backslash doubled, non-ASCII bytes as \\ooo in the C locale), so"
                + " they may not be the shard's names");
      }
      // Whatever the name, a pax header before the member's own may rename or resize it
      entries.add(new Entry(name, null, offset, size, blockEnd(previousEnd)));
      previousEnd = offset + size;
    }
    if (!endsTheArchive(blockEnd(previousEnd), shardSize)) {
      throw new InvalidIndexException(
          indexName,
          "its last member ends at byte "
              + previousEnd
              + " but the shard has "
              + shardSize
              + " bytes: the index does not describe the whole shard (written before the shard "
              + "changed, or leaving members out)");
    }
    return new IndexedShard(shard, shardSize, entries, group(shard, entries, lowercaseExtensions));
  }

  /**
   * The names of the members {@code index} lists, in archive order, without checking them against a
   * shard: what a schema is inferred from.
   */
  public static List<String> memberNames(String indexName, byte[] index)
      throws InvalidIndexException {
    List<String> names = new ArrayList<>();
    for (String[] m : members(indexName, index)) {
      names.add(m[3]);
    }
    return names;
  }

  /** The members of each sample line, as {ext, offset, size, name}, flattened in archive order. */
  private static List<String[]> members(String indexName, byte[] index)
      throws InvalidIndexException {
    String[] lines = new String(index, StandardCharsets.UTF_8).split("\n", -1);
    String[] head = fields(lines[0]);
    if (head.length != 2 || !head[0].equals("v1.2")) {
      throw new InvalidIndexException(
          indexName,
          "its first line is '"
              + lines[0]
              + "', not 'v1.2 <samples>' (DALI's wds2idx"
              + " v1.2, the only version that names members)");
    }
    long declared = number(indexName, head[1]);
    List<String[]> members = new ArrayList<>();
    long sampleLines = 0;
    for (int i = 1; i < lines.length; i++) {
      String[] f = fields(lines[i]);
      if (f.length == 0) {
        continue;
      }
      if (f.length % 4 != 0) {
        throw new InvalidIndexException(
            indexName,
            "line "
                + (i + 1)
                + " has "
                + f.length
                + " fields, not groups of"
                + " <extension> <offset> <size> <name>");
      }
      sampleLines++;
      for (int j = 0; j < f.length; j += 4) {
        members.add(new String[] {f[j], f[j + 1], f[j + 2], f[j + 3]});
      }
    }
    if (sampleLines != declared || declared == 0) {
      throw new InvalidIndexException(
          indexName, "it declares " + declared + " samples and lists " + sampleLines);
    }
    return members;
  }

  private static String[] fields(String line) {
    String trimmed = line.trim();
    return trimmed.isEmpty() ? new String[0] : trimmed.split("[ \t\u000b\f\r]+");
  }

  private static long number(String indexName, String field) throws InvalidIndexException {
    try {
      long n = Long.parseLong(field);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidIndexException(indexName, "'" + field + "' is not a byte count");
  }

  /**
   * Groups members into samples as {@link SampleReader} does over the stream: adjacent members with
   * the same key, members without one left out; a key that comes back, or an extension repeated
   * within a sample, makes that sample the error the stream would raise.
   */
  private static List<IndexedSample> group(
      String shard, List<Entry> entries, boolean lowercaseExtensions) {
    List<IndexedSample> samples = new ArrayList<>();
    Set<String> finished = new HashSet<>();
    IndexedSample current = null;
    Set<String> extensions = new HashSet<>();
    for (Entry e : entries) {
      String[] split = KeyRule.WEBDATASET.split(e.name);
      if (split == null) {
        continue;
      }
      String ext = lowercaseExtensions ? split[1].toLowerCase(Locale.ROOT) : split[1];
      if (current == null || !current.key.equals(split[0])) {
        if (current != null) {
          finished.add(current.key);
        }
        current = new IndexedSample(split[0]);
        extensions.clear();
        samples.add(current);
        if (finished.contains(split[0])) {
          current.problem =
              WdsFormatException.malformed(
                  shard,
                  e.name,
                  "key '"
                      + split[0]
                      + "' comes back after other keys: a sample's "
                      + "members must be adjacent in the shard");
        }
      }
      if (current.problem == null && !extensions.add(ext)) {
        current.problem =
            WdsFormatException.malformed(
                shard,
                e.name,
                "extension '" + ext + "' repeats within sample '" + current.key + "'");
      }
      current.members.add(new Entry(e.name, ext, e.offset, e.size, e.headerStart));
    }
    return samples;
  }

  /** The shard's samples, as the index groups them. */
  public int sampleCount() {
    return samples.size();
  }

  /** A run of samples, {@code from} to {@code to} (exclusive), and the bytes that hold them. */
  public static final class Slice {
    public final int from;
    public final int to;
    public final long bytes;

    Slice(int from, int to, long bytes) {
      this.from = from;
      this.to = to;
      this.bytes = bytes;
    }
  }

  /**
   * Cuts the samples into runs of at most {@code maxBytes} each (or one sample, when larger): the
   * slices of a shard too large for one task.
   */
  public List<Slice> slices(long maxBytes) {
    List<Slice> slices = new ArrayList<>();
    int from = 0;
    long bytes = 0;
    for (int i = 0; i < samples.size(); i++) {
      long sampleBytes = samples.get(i).bytes();
      if (i > from && bytes + sampleBytes > maxBytes) {
        slices.add(new Slice(from, i, bytes));
        from = i;
        bytes = 0;
      }
      bytes += sampleBytes;
    }
    if (from < samples.size()) {
      slices.add(new Slice(from, samples.size(), bytes));
    }
    return Collections.unmodifiableList(slices);
  }

  /**
   * What to fetch for the samples numbered {@code from} to {@code to} (exclusive) whose key {@code
   * keys} accepts, and of those the members whose extension {@code extensions} accepts: their byte
   * ranges, neighbours closer than {@link #REQUEST_BYTES} fetched together.
   */
  public Plan plan(int from, int to, Predicate<String> keys, Predicate<String> extensions) {
    List<IndexedSample> selected = new ArrayList<>();
    List<Entry> fetched = new ArrayList<>();
    for (IndexedSample s : samples.subList(from, Math.min(to, samples.size()))) {
      if (!keys.test(s.key) && s.problem == null) {
        continue; // a stream raises a malformed sample whether it is wanted or not
      }
      selected.add(s);
      if (s.problem == null) {
        for (Entry e : s.members) {
          if (extensions.test(e.extension)) {
            fetched.add(e);
          }
        }
      }
    }
    List<long[]> ranges = new ArrayList<>();
    int[] rangeOf = new int[fetched.size()];
    for (int i = 0; i < fetched.size(); i++) {
      Entry e = fetched.get(i);
      long[] last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
      if (last != null && e.headerStart - last[1] <= REQUEST_BYTES) {
        last[1] = e.end();
      } else {
        ranges.add(new long[] {e.headerStart, e.end()});
      }
      rangeOf[i] = ranges.size() - 1;
    }
    return new Plan(selected, ranges, fetched, rangeOf);
  }

  /** The member the index lists with its data at {@code offset}, or null. */
  Entry listedAt(long offset) {
    int low = 0;
    int high = entries.size() - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      long at = entries.get(mid).offset;
      if (at == offset) {
        return entries.get(mid);
      }
      if (at < offset) {
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return null;
  }

  String shard() {
    return shard;
  }

  long shardSize() {
    return shardSize;
  }

  /**
   * Whether an archive whose last member's data ends (block-aligned) at {@code end} may be {@code
   * size} bytes long: followed by at most the end-of-archive blocks, or padded with them to whole
   * records. Anything longer holds members the index leaves out.
   */
  private static boolean endsTheArchive(long end, long size) {
    long trailer = size - end;
    return (trailer >= 0 && trailer <= END_BLOCKS)
        || (size % RECORD == 0 && trailer >= END_BLOCKS && trailer < END_BLOCKS + RECORD);
  }

  private static long blockEnd(long offset) {
    return (offset + TarStream.BLOCK - 1) / TarStream.BLOCK * TarStream.BLOCK;
  }

  /** An index that does not describe its shard: the shard is read without it. */
  public static final class InvalidIndexException extends IOException {
    private static final long serialVersionUID = 1L;

    InvalidIndexException(String indexName, String why) {
      super("The DALI index " + indexName + " cannot be used: " + why);
    }
  }
}
