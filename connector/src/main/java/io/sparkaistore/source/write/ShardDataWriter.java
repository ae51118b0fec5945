package io.sparkaistore.source.write;

import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.MultipartOutputStream;
import io.sparkaistore.source.AisOptions;
import io.sparkaistore.source.metrics.WriteMetrics;
import io.sparkaistore.wds.TarShardWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.write.DataWriter;
import org.apache.spark.sql.connector.write.WriterCommitMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one task attempt's samples as shards, rolling at {@code maxSamplesPerShard} or before
 * {@code maxShardBytes}, whichever comes first. Each shard streams into an upload that holds one part
 * in memory, under a staging name of this attempt; the job commit gives committed shards their final,
 * numbered names, and an aborted attempt deletes what it staged.
 */
final class ShardDataWriter implements DataWriter<InternalRow> {
  private static final Logger LOG = LoggerFactory.getLogger(ShardDataWriter.class);

  private final WriteTarget target;
  private final AisOptions options;
  private final SampleEncoder encoder;
  private final int partitionId;
  private final long taskId;
  private final AisClient client;
  private final List<StagedObject> staged = new ArrayList<>();
  private MultipartOutputStream upload;
  private CRC32C crc;
  private TarShardWriter shard;
  private String stagingName;
  private long shardTarBytes;
  private long samples;
  private long bytes;

  ShardDataWriter(WriteTarget target, AisOptions options, SampleEncoder encoder, int partitionId, long taskId) {
    this.target = target;
    this.options = options;
    this.encoder = encoder;
    this.partitionId = partitionId;
    this.taskId = taskId;
    this.client = AisClient.create(options.clientConfig());
  }

  @Override
  public void write(InternalRow row) throws IOException {
    String key = encoder.key(row);
    SortedMap<String, byte[]> members = encoder.members(row);
    long size = TarShardWriter.tarSize(key, members);
    if (shard != null && (shard.samples() >= options.maxSamplesPerShard()
        || shardTarBytes + size + TarShardWriter.TRAILER > options.maxShardBytes())) {
      finishShard();
    }
    if (shard == null) {
      startShard();
    }
    shard.write(key, members);
    shardTarBytes += size;
    samples++;
  }

  private void startShard() throws IOException {
    stagingName = target.staged(partitionId, taskId, staged.size(), options.gzip() ? ".tar.gz" : ".tar");
    upload = client.openUpload(target.bucket, stagingName, options.uploadPartSize());
    crc = new CRC32C();
    CheckedOutputStream checked = new CheckedOutputStream(upload, crc);
    shard = options.gzip() ? TarShardWriter.tarGz(checked) : TarShardWriter.tar(checked);
    shardTarBytes = 0;
  }

  private void finishShard() throws IOException {
    shard.close(); // completes the upload: the staged shard is whole, or absent
    staged.add(new StagedObject(stagingName, null, partitionId, staged.size(), shard.samples(), upload.bytes(),
        crc.getValue()));
    bytes += upload.bytes();
    shard = null;
    upload = null;
  }

  @Override
  public WriterCommitMessage commit() throws IOException {
    if (shard != null) {
      finishShard();
    }
    return new AisCommitMessage(staged);
  }

  @Override
  public void abort() {
    if (upload != null) {
      try {
        upload.abort();
      } catch (IOException e) {
        LOG.warn("Could not abort the upload of {}/{}: {}", target.bucket, stagingName, e.getMessage());
      }
    }
    Staging.deleteQuietly(client, target, staged);
  }

  @Override
  public CustomTaskMetric[] currentMetricsValues() {
    return new CustomTaskMetric[] {
      WriteMetrics.value(WriteMetrics.SHARDS, staged.size()),
      WriteMetrics.value(WriteMetrics.SAMPLES, samples),
      WriteMetrics.value(WriteMetrics.BYTES, bytes)
    };
  }

  @Override
  public void close() {
    // Everything is released by commit() or abort().
  }
}
