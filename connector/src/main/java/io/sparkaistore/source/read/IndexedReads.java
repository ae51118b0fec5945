package io.sparkaistore.source.read;

import io.sparkaistore.client.ObjectProps;
import io.sparkaistore.client.ObjectReadStream;
import io.sparkaistore.wds.IndexedSampleReader;
import io.sparkaistore.wds.IndexedShard;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task's reads of shards through their DALI indexes: whether a shard is read so, and then the
 * byte ranges of only the wanted samples' selected members. A whole shard is streamed instead when
 * its index is gone or does not describe it, or when the ranges, with what each request costs,
 * would cost as much as the shard ({@link IndexedShard.Plan#cost}). A slice of a shard, which the
 * driver cut by the index, is always read through it: the shard must not have changed since.
 */
final class IndexedReads {
  private static final Logger LOG = LoggerFactory.getLogger(IndexedReads.class);

  private final ObjectFetcher fetcher;
  private final boolean lowercaseExtensions;
  private final long maxMemberSize;
  private long indexedShards;
  private long bytesSkipped;

  IndexedReads(ObjectFetcher fetcher, boolean lowercaseExtensions, long maxMemberSize) {
    this.fetcher = fetcher;
    this.lowercaseExtensions = lowercaseExtensions;
    this.maxMemberSize = maxMemberSize;
  }

  /**
   * The wanted samples of {@code shard} read through its index, with the members whose extension
   * {@code extensions} accepts; null when the shard is to be streamed.
   */
  IndexedSampleReader open(
      ListedObject shard, SampleSelection selection, Predicate<String> extensions)
      throws IOException {
    byte[] index = fetcher.readIndex(shard);
    if (index == null) {
      return streamOrFail(shard, "it was deleted or replaced after the query was planned");
    }
    IndexedShard parsed;
    try {
      parsed =
          IndexedShard.parse(
              shard.toString(), shard.size(), shard.indexName(), index, lowercaseExtensions);
    } catch (IndexedShard.InvalidIndexException e) {
      return streamOrFail(shard, e.getMessage());
    }
    int to = shard.isSlice() ? shard.toSample : parsed.sampleCount();
    if (to > parsed.sampleCount()) {
      throw changed(shard, "now lists " + parsed.sampleCount() + " samples");
    }
    IndexedShard.Plan plan = parsed.plan(shard.fromSample, to, selection::test, extensions);
    if (!shard.isSlice() && plan.cost() >= shard.size()) {
      return null;
    }
    indexedShards++;
    bytesSkipped += shard.planBytes() - plan.bytes();
    return new IndexedSampleReader(
        parsed, shard.indexName(), plan, new CheckedRanges(shard), maxMemberSize);
  }

  private static IndexedSampleReader streamOrFail(ListedObject shard, String why)
      throws IOException {
    if (shard.isSlice()) {
      throw changed(shard, why);
    }
    LOG.warn("Reading shard {} without its index: {}", shard, why);
    return null;
  }

  private static IOException changed(ListedObject shard, String why) {
    return new IOException(
        "The DALI index "
            + shard.indexName()
            + " that split shard "
            + shard
            + " between tasks changed after the query was planned ("
            + why
            + "); run the query again.");
  }

  /** Shards read through their index so far. */
  long indexedShards() {
    return indexedShards;
  }

  /** Bytes of those shards that were not fetched. */
  long bytesSkipped() {
    return bytesSkipped;
  }

  /**
   * Ranges of one shard, each checked to come from the object listed: its size, version and
   * checksum as the listing gave them, and as the first range gave them. Slices of one shard read
   * by several tasks are thereby all of the shard the driver listed, never of a replacement.
   */
  private final class CheckedRanges implements IndexedSampleReader.Ranges {
    private final ListedObject shard;
    private ObjectProps expected;

    CheckedRanges(ListedObject shard) {
      this.shard = shard;
      this.expected =
          new ObjectProps(shard.size(), null, shard.entry.checksum(), shard.entry.version(), null);
    }

    @Override
    public InputStream open(long offset, long length) throws IOException {
      ObjectReadStream range = fetcher.openRange(shard, offset, length);
      ObjectProps props = range.props();
      if (props.size() != shard.size() || !expected.sameContentAs(props)) {
        range.close();
        throw new IOException(
            "Shard "
                + shard
                + " changed after the query was planned (now "
                + props.size()
                + " bytes, version "
                + props.version()
                + "; listed at "
                + shard.size()
                + " bytes, version "
                + shard.entry.version()
                + "); run the query again.");
      }
      expected = props; // the listing may not say the checksum: then the first range does
      return range;
    }
  }
}
