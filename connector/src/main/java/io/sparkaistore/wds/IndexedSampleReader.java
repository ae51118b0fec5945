package io.sparkaistore.wds;

import java.io.IOException;
import java.io.InputStream;

/**
 * The samples an {@link IndexedShard.Plan} selected, read from the byte ranges it planned, one
 * sample at a time. Each range is parsed as tar from the header it starts at, so every member
 * returned has passed the same checks as in a stream (header checksum, extended headers, sizes);
 * and each must be, at the offset its index gives, the member of that name and size. When it is
 * not, the index does not describe the shard and the read fails, saying how to read without it.
 */
public final class IndexedSampleReader implements SampleSource {
  /** Opens a byte range of the shard. */
  public interface Ranges {
    InputStream open(long offset, long length) throws IOException;
  }

  private final IndexedShard shard;
  private final String indexName;
  private final IndexedShard.Plan plan;
  private final Ranges ranges;
  private final long maxMemberSize;
  private int nextSample;
  private int nextFetched;
  private int openRange = -1;
  private ShardReader reader;

  public IndexedSampleReader(
      IndexedShard shard,
      String indexName,
      IndexedShard.Plan plan,
      Ranges ranges,
      long maxMemberSize) {
    this.shard = shard;
    this.indexName = indexName;
    this.plan = plan;
    this.ranges = ranges;
    this.maxMemberSize = maxMemberSize;
  }

  /** The next selected sample, with the content of its fetched members; null after the last. */
  @Override
  public Sample next() throws IOException {
    if (nextSample == plan.samples.size()) {
      close();
      return null;
    }
    IndexedShard.IndexedSample indexed = plan.samples.get(nextSample++);
    if (indexed.problem != null) {
      throw indexed.problem;
    }
    Sample sample = new Sample(indexed.key);
    for (IndexedShard.Entry e : indexed.members) {
      sample.addExtension(e.extension);
      if (nextFetched < plan.fetched.size() && plan.fetched.get(nextFetched) == e) {
        try {
          sample.put(e.extension, read(e, plan.rangeOf[nextFetched++]));
        } catch (WdsFormatException malformed) {
          passOver(indexed); // as a stream passes over the rest of the sample, for the next one
          throw malformed;
        }
      }
    }
    return sample;
  }

  /** Moves past the fetched members of {@code sample} that were not read. */
  private void passOver(IndexedShard.IndexedSample sample) {
    while (nextFetched < plan.fetched.size()
        && sample.members.contains(plan.fetched.get(nextFetched))) {
      nextFetched++;
    }
  }

  /** The content of {@code entry}, from range {@code range}, checked against its header. */
  private byte[] read(IndexedShard.Entry entry, int range) throws IOException {
    try {
      return find(entry, range).readContent(maxMemberSize, shard.shard());
    } catch (WdsFormatException e) {
      if (!e.isCorruptShard()) {
        throw e; // a member over maxMemberSize: the sample's error, as in a stream
      }
      // Not where a stream would find it: the index points into the shard's data, or the shard is
      // corrupt. Neither may pass for a corrupt shard that the read modes skip.
      throw new IOException(
          e.getMessage()
              + " (read at the offsets of the DALI index "
              + indexName
              + ": the index does not describe the shard, or the shard is corrupt; read without "
              + "indexes, option useIndex false, to tell which)",
          e);
    }
  }

  /** The member {@code entry} names, at the start of its content, checked against its header. */
  private ShardMember find(IndexedShard.Entry entry, int range) throws IOException {
    if (range != openRange) {
      close();
      long[] r = plan.ranges.get(range);
      reader =
          ShardReader.openTarAt(
              ranges.open(r[0], r[1] - r[0]), shard.shard(), shard.shardSize(), r[0]);
      openRange = range;
    }
    while (true) {
      ShardMember member = reader.next();
      long dataOffset = member == null ? -1 : member.offset() + TarStream.BLOCK;
      if (member == null || dataOffset > entry.offset) {
        throw mismatch(entry, member == null ? "no member" : describe(member, dataOffset));
      }
      if (dataOffset == entry.offset) {
        if (!member.name().equals(entry.name) || member.size() != entry.size) {
          throw mismatch(entry, describe(member, dataOffset));
        }
        return member;
      }
      checkPassedOver(member, dataOffset);
    }
  }

  /**
   * A member of the range that the query does not need must still be the index's: a member the
   * index leaves out, or lists under another name or size, would be in the rows of a stream.
   */
  private void checkPassedOver(ShardMember member, long dataOffset) throws IOException {
    IndexedShard.Entry listed = shard.listedAt(dataOffset);
    if (listed == null && KeyRule.WEBDATASET.split(member.name()) != null) {
      throw doesNotMatch(
          "the shard has "
              + describe(member, dataOffset)
              + ", a member of a sample that the index does not list");
    }
    if (listed != null && (!listed.name.equals(member.name()) || listed.size != member.size())) {
      throw mismatch(listed, describe(member, dataOffset));
    }
  }

  /** None: the index lists only members with a key. */
  @Override
  public long skippedMembers() {
    return 0;
  }

  private static String describe(ShardMember member, long dataOffset) {
    return "'" + member.name() + "' (" + member.size() + " bytes, data at " + dataOffset + ")";
  }

  private IOException mismatch(IndexedShard.Entry entry, String found) {
    return doesNotMatch(
        "it puts '"
            + entry.name
            + "' ("
            + entry.size
            + " bytes) at offset "
            + entry.offset
            + ", where the shard has "
            + found);
  }

  private IOException doesNotMatch(String why) {
    return new IOException(
        "The DALI index "
            + indexName
            + " does not match shard "
            + shard.shard()
            + ": "
            + why
            + ". The index is stale or was written for another shard: rebuild it (see "
            + "io.sparkaistore.tools.IndexShards), or read without indexes (option useIndex false).");
  }

  @Override
  public void close() throws IOException {
    if (reader != null) {
      reader.close();
      reader = null;
      openRange = -1;
    }
  }
}
