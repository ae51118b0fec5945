package io.sparkaistore.source.write;

import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.MultipartOutputStream;
import io.sparkaistore.client.ObjectNames;
import io.sparkaistore.source.options.AisOptions.Compression;
import io.sparkaistore.source.options.AisOptions.ShardNaming;
import io.sparkaistore.source.options.WriteTaskConfig;
import io.sparkaistore.wds.DaliIndex;
import io.sparkaistore.wds.TarShardWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.write.DataWriter;
import org.apache.spark.sql.connector.write.WriterCommitMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one task attempt's samples as shards, rolling at {@code maxSamplesPerShard} or before
 * {@code maxShardBytes}, whichever comes first, and, in a partitioned write, when the rows (sorted
 * by partition) reach the next partition directory. Each shard streams into an upload that holds up
 * to two parts in memory. Sequentially named shards go under a staging name of this attempt, and
 * the job commit gives committed ones their final, numbered names; shards named by partition go
 * under their final name as a multipart upload left pending for the job commit to complete. A plain
 * {@code .tar} shard's DALI index ({@code <shard>.idx}) is uploaded after it, the same way, so that
 * the job commit publishes both. An aborted attempt removes what it staged.
 */
final class ShardDataWriter implements DataWriter<InternalRow> {
  private static final Logger LOG = LoggerFactory.getLogger(ShardDataWriter.class);

  private final WriteTarget target;
  private final WriteTaskConfig options;
  private final SampleEncoder encoder;
  private final PartitionDirectories partitions;
  private final int partitionId;
  private final long taskId;
  private final AisClient client;
  private final List<StagedObject> staged = new ArrayList<>();
  private final Set<String> keysInShard = new HashSet<>();
  private MultipartOutputStream upload;
  private MultipartOutputStream indexUpload;
  private CRC32C crc;
  private TarShardWriter shard;
  private String name;
  private String directory = "";
  private long shardTarBytes;

  ShardDataWriter(
      WriteTarget target,
      WriteTaskConfig options,
      SampleEncoder encoder,
      PartitionDirectories partitions,
      int partitionId,
      long taskId) {
    this.target = target;
    this.options = options;
    this.encoder = encoder;
    this.partitions = partitions;
    this.partitionId = partitionId;
    this.taskId = taskId;
    this.client = AisClient.create(options.clientConfig());
  }

  @Override
  public void write(InternalRow row) throws IOException {
    String key = encoder.key(row);
    SortedMap<String, byte[]> members = encoder.members(row);
    long size = TarShardWriter.tarSize(key, members);
    String rowDirectory = partitions.of(row);
    if (shard != null
        && (!rowDirectory.equals(directory)
            || shard.samples() >= options.maxSamplesPerShard()
            || shardTarBytes + size + TarShardWriter.TRAILER > options.maxShardBytes())) {
      finishShard();
    }
    if (shard == null) {
      startShard(rowDirectory);
    }
    if (!keysInShard.add(key)) {
      throw new IllegalArgumentException(
          "Duplicate __key__ '"
              + key
              + "' in partition "
              + partitionId
              + ": the shard "
              + "would hold its members twice, which readers refuse or drop. Make the keys unique, e.g. "
              + "dropDuplicates(\"__key__\") (this write checks each shard; docs/writing.md)");
    }
    shard.write(key, members);
    shardTarBytes += size;
  }

  private void startShard(String partition) throws IOException {
    String suffix = options.compression().shardSuffix();
    if (options.shardNaming() == ShardNaming.PARTITION) {
      name = target.partitionShard(partition, partitionId, staged.size(), suffix);
      checkDirectory(partition, name); // its final name, which carries the job and task
    } else if (!partition.equals(directory)) {
      checkDirectory(partition, target.prefix + partition + "shard-000000" + suffix);
    }
    directory = partition;
    if (options.shardNaming() == ShardNaming.PARTITION) {
      upload = client.openPendingUpload(target.bucket, name, options.uploadPartSize());
    } else {
      name = target.staged(partitionId, taskId, staged.size(), suffix);
      upload = client.openUpload(target.bucket, name, options.uploadPartSize());
    }
    crc = new CRC32C();
    keysInShard.clear();
    CheckedOutputStream checked = new CheckedOutputStream(upload, crc);
    if (options.compression() == Compression.GZIP) {
      shard = TarShardWriter.tarGz(checked);
    } else {
      shard =
          options.shardIndex() ? TarShardWriter.indexedTar(checked) : TarShardWriter.tar(checked);
    }
    shardTarBytes = 0;
  }

  /**
   * Refuses a partition directory under which AIS would refuse or rewrite the name {@code longest}
   * of a shard (or of its index), before anything is uploaded there.
   */
  private void checkDirectory(String partition, String longest) {
    String problem =
        ObjectNames.problem(options.shardIndex() ? DaliIndex.nameOf(longest) : longest);
    if (problem != null) {
      throw new IllegalArgumentException(
          "Cannot write the partition directory '"
              + partition
              + "' under "
              + target
              + ": names under it would not be kept as they are: "
              + problem
              + ". Partition by shorter values or fewer columns.");
    }
  }

  private void finishShard() throws IOException {
    // Ends the upload: the staged shard is whole or absent; a pending one is complete but for
    // publishing.
    shard.close();
    int sequence = staged.size();
    StagedObject done =
        options.shardNaming() == ShardNaming.PARTITION
            ? StagedObject.pending(
                name,
                upload.uploadId(),
                upload.parts(),
                partitionId,
                sequence,
                shard.samples(),
                upload.bytes(),
                crc.getValue())
            : StagedObject.staged(
                name, null, partitionId, sequence, shard.samples(), upload.bytes(), crc.getValue());
    DaliIndex index = shard.index();
    // DALI takes no index of zero samples: a shard of member-less samples goes without one.
    done = index == null || index.samples() == 0 ? done : done.withIndex(upload(index));
    staged.add(done.inDirectory(directory));
    shard = null;
    upload = null;
  }

  /** Uploads the index of the shard just finished beside it: staged, or pending like the shard. */
  private StagedObject upload(DaliIndex index) throws IOException {
    byte[] bytes = index.toBytes();
    CRC32C indexCrc = new CRC32C();
    indexCrc.update(bytes);
    String indexName = DaliIndex.nameOf(name);
    boolean pending = options.shardNaming() == ShardNaming.PARTITION;
    // Parts no larger than the index: a small index takes no 16 MiB buffer.
    int partSize = Math.min(options.uploadPartSize(), bytes.length);
    indexUpload =
        pending
            ? client.openPendingUpload(target.bucket, indexName, partSize)
            : client.openUpload(target.bucket, indexName, partSize);
    indexUpload.write(bytes);
    indexUpload.close();
    StagedObject uploaded =
        pending
            ? StagedObject.pending(
                indexName,
                indexUpload.uploadId(),
                indexUpload.parts(),
                partitionId,
                staged.size(),
                index.samples(),
                bytes.length,
                indexCrc.getValue())
            : StagedObject.staged(
                indexName,
                null,
                partitionId,
                staged.size(),
                index.samples(),
                bytes.length,
                indexCrc.getValue());
    indexUpload = null;
    return uploaded;
  }

  @Override
  public WriterCommitMessage commit() throws IOException {
    if (shard != null) {
      finishShard();
    }
    return new AisCommitMessage(staged, client.stats().retries());
  }

  /**
   * Abandons the open upload and removes what was staged, in a thread that Spark interrupted too.
   */
  @Override
  public void abort() {
    // An interrupted thread's requests would fail at once.
    boolean interrupted = Thread.interrupted();
    try {
      abortQuietly(upload, name);
      abortQuietly(indexUpload, DaliIndex.nameOf(name));
      Staging.discardQuietly(client, target, staged);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void abortQuietly(MultipartOutputStream open, String object) {
    if (open != null) {
      try {
        open.abort();
      } catch (IOException e) {
        LOG.warn("Could not abort the upload of {}/{}: {}", target.bucket, object, e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    // Everything is released by commit() or abort().
  }
}
