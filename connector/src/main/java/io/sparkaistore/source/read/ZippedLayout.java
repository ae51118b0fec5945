package io.sparkaistore.source.read;

import io.sparkaistore.wds.ShardMember;
import io.sparkaistore.wds.ShardReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code zipped} layout: row i holds the i-th file of each source ({@link
 * ShardSchemas#zipped}). Each source is listed on its own, and all are read by one task ({@link
 * ZippedPartition}). A bad shard fails the read with the format error itself: no option skips
 * within a zipped read.
 */
final class ZippedLayout extends ReadLayout {
  private static final long serialVersionUID = 1L;

  private final long maxMemberSize;
  private final boolean mismatchFails;
  private final String paths;

  ZippedLayout(
      ObjectFetcher.Settings fetch, long maxMemberSize, boolean mismatchFails, String paths) {
    super(fetch);
    this.maxMemberSize = maxMemberSize;
    this.mismatchFails = mismatchFails;
    this.paths = paths;
  }

  @Override
  String name() {
    return "zipped";
  }

  @Override
  boolean readsShards() {
    return true;
  }

  @Override
  boolean listsSourcesApart() {
    return true;
  }

  @Override
  InputPartition[] plan(
      List<List<ListedObject>> listings,
      long splitBytes,
      Function<List<ListedObject>, InputPartition[]> packByBytes) {
    return new InputPartition[] {new ZippedPartition(listings)};
  }

  @Override
  PartitionReader<InternalRow> createReader(InputPartition partition, StructType readSchema) {
    ObjectFetcher fetcher = new ObjectFetcher(fetch);
    List<ShardCursor<byte[]>> sources = new ArrayList<>();
    for (List<ListedObject> shards : ((ZippedPartition) partition).sources()) {
      sources.add(
          new ShardCursor<>(
              shards, fetcher, BadShardRule.failAsIs(), (shard, listed) -> new Contents(shard)));
    }
    return new ZippedPartitionReader(sources, fetcher, mismatchFails, paths);
  }

  /** The content of one shard's members, in archive order. */
  private final class Contents implements ShardCursor.Items<byte[]> {
    private final ShardReader shard;

    Contents(ShardReader shard) {
      this.shard = shard;
    }

    @Override
    public byte[] next() throws IOException {
      ShardMember member = shard.next();
      return member == null ? null : member.readContent(maxMemberSize, shard.shard());
    }

    @Override
    public long skippedMembers() {
      return shard.skippedEntries();
    }
  }
}
