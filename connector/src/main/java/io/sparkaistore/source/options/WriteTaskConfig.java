package io.sparkaistore.source.options;

import io.sparkaistore.client.AisClientConfig;
import io.sparkaistore.source.options.AisOptions.Compression;
import io.sparkaistore.source.options.AisOptions.ShardNaming;
import java.io.Serializable;

/**
 * What the tasks of a write use: how to reach AIS, when to roll a shard, how to name and upload it.
 */
public final class WriteTaskConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  private final AisClientConfig clientConfig;
  private final int maxSamplesPerShard;
  private final long maxShardBytes;
  private final Compression compression;
  private final ShardNaming shardNaming;
  private final int uploadPartSize;

  WriteTaskConfig(OptionValues options, AisClientConfig clientConfig) {
    this.clientConfig = clientConfig;
    this.maxSamplesPerShard = options.get(AisOptions.MAX_SAMPLES_PER_SHARD);
    this.maxShardBytes = options.get(AisOptions.MAX_SHARD_BYTES);
    this.compression = options.get(AisOptions.COMPRESSION);
    this.shardNaming = options.get(AisOptions.SHARD_NAMES);
    this.uploadPartSize = Math.toIntExact(options.get(AisOptions.UPLOAD_PART_SIZE));
  }

  public AisClientConfig clientConfig() {
    return clientConfig;
  }

  public int maxSamplesPerShard() {
    return maxSamplesPerShard;
  }

  public long maxShardBytes() {
    return maxShardBytes;
  }

  public Compression compression() {
    return compression;
  }

  public ShardNaming shardNaming() {
    return shardNaming;
  }

  public int uploadPartSize() {
    return uploadPartSize;
  }
}
