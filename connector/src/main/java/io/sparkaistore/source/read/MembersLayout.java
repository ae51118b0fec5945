package io.sparkaistore.source.read;

import io.sparkaistore.wds.ShardMember;
import io.sparkaistore.wds.ShardReader;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The {@code members} layout: a row per regular file inside the shards ({@link
 * ShardSchemas#MEMBERS}). Without {@code content} in the query, members are sized and skipped in
 * the stream.
 */
final class MembersLayout extends ReadLayout {
  private static final long serialVersionUID = 1L;

  /** What a member's row is made of; {@code content} is null when the query does not read it. */
  static final class MemberRow {
    private final UTF8String shard;
    private final String path;
    private final long size;
    private final byte[] content;

    MemberRow(UTF8String shard, String path, long size, byte[] content) {
      this.shard = shard;
      this.path = path;
      this.size = size;
      this.content = content;
    }

    UTF8String shard() {
      return shard;
    }

    String path() {
      return path;
    }

    long size() {
      return size;
    }

    byte[] content() {
      return content;
    }
  }

  private static final Map<String, Function<MemberRow, Object>> COLUMNS =
      Map.of(
          ShardSchemas.SHARD, MemberRow::shard,
          ShardSchemas.PATH, r -> UTF8String.fromString(r.path()),
          ShardSchemas.SIZE, MemberRow::size);

  private final BadShardRule badShards;
  private final long maxMemberSize;

  MembersLayout(ObjectFetcher.Settings fetch, BadShardRule badShards, long maxMemberSize) {
    super(fetch);
    this.badShards = badShards;
    this.maxMemberSize = maxMemberSize;
  }

  @Override
  String name() {
    return "members";
  }

  @Override
  boolean readsShards() {
    return true;
  }

  @Override
  PartitionReader<InternalRow> createReader(InputPartition partition, StructType readSchema) {
    RowConverter<MemberRow> rows = rowConverter(readSchema);
    boolean needsContent = readSchema.getFieldIndex(ShardSchemas.CONTENT).isDefined();
    ObjectFetcher fetcher = new ObjectFetcher(fetch);
    ShardCursor<InternalRow> cursor =
        new ShardCursor<>(
            ((ObjectPartition) partition).objects(),
            fetcher,
            badShards,
            (shard, listed) ->
                new Members(shard, UTF8String.fromString(listed.toString()), rows, needsContent));
    return new ShardPartitionReader(cursor, fetcher, null);
  }

  /** shard, path, size; any other column (there is only {@code content}) takes the content. */
  static RowConverter<MemberRow> rowConverter(StructType schema) {
    return RowConverter.of(schema, COLUMNS, name -> MemberRow::content);
  }

  /** The rows of one shard's members. */
  private final class Members implements ShardCursor.Items<InternalRow> {
    private final ShardReader shard;
    private final UTF8String url;
    private final RowConverter<MemberRow> rows;
    private final boolean needsContent;

    Members(ShardReader shard, UTF8String url, RowConverter<MemberRow> rows, boolean needsContent) {
      this.shard = shard;
      this.url = url;
      this.rows = rows;
      this.needsContent = needsContent;
    }

    @Override
    public InternalRow next() throws IOException {
      ShardMember member = shard.next();
      if (member == null) {
        return null;
      }
      byte[] content = needsContent ? member.readContent(maxMemberSize, shard.shard()) : null;
      long size =
          content != null
              ? content.length
              : member.size() >= 0
                  ? member.size()
                  : member.content().transferTo(OutputStream.nullOutputStream());
      return rows.toRow(new MemberRow(url, member.name(), size, content));
    }

    @Override
    public long skippedMembers() {
      return shard.skippedEntries();
    }
  }
}
