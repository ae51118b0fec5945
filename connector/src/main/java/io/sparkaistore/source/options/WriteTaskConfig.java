package io.sparkaistore.source.options;

import io.sparkaistore.client.AisClientConfig;
import io.sparkaistore.source.options.AisOptions.Compression;
import io.sparkaistore.source.options.AisOptions.ShardNaming;
import java.io.Serializable;

/**
 * What the tasks of a write use: how to reach AIS, when to roll a shard, how to name and upload it.
 */
public final class WriteTaskConfig implements Serializable {
  private static final long serialVersionUID = 2L;

  private final AisClientConfig clientConfig;
  private final int maxSamplesPerShard;
  private final long maxShardBytes;
  private final Compression compression;
  private final ShardNaming shardNaming;
  private final boolean shardIndex;
  private final int uploadPartSize;

  WriteTaskConfig(OptionValues options, AisClientConfig clientConfig) {
    this.clientConfig = clientConfig;
    this.maxSamplesPerShard = options.get(AisOptions.MAX_SAMPLES_PER_SHARD);
    this.maxShardBytes = options.get(AisOptions.MAX_SHARD_BYTES);
    this.compression = options.get(AisOptions.COMPRESSION);
    this.shardNaming = options.get(AisOptions.SHARD_NAMES);
    this.shardIndex = shardIndex(options, compression);
    this.uploadPartSize = Math.toIntExact(options.get(AisOptions.UPLOAD_PART_SIZE));
  }

  /**
   * Indexes go with plain {@code .tar} shards only: their offsets address the uncompressed archive,
   * which DALI reads from a {@code .tar}. Asking for them with compression is a contradiction.
   */
  private static boolean shardIndex(OptionValues options, Compression compression) {
    boolean wanted = options.get(AisOptions.SHARD_INDEX);
    if (wanted && compression != Compression.NONE && options.has(AisOptions.SHARD_INDEX)) {
      throw new IllegalArgumentException(
          "Option '"
              + AisOptions.SHARD_INDEX
              + "' is true, but option '"
              + AisOptions.COMPRESSION
              + "' makes "
              + compression.shardSuffix()
              + " shards: a DALI index gives offsets into a plain .tar, and DALI's webdataset "
              + "reader reads plain .tar shards only. Set compression none, or shardIndex false.");
    }
    return wanted && compression == Compression.NONE;
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

  /** Whether each shard gets a DALI index ({@code <shard>.idx}). */
  public boolean shardIndex() {
    return shardIndex;
  }

  public int uploadPartSize() {
    return uploadPartSize;
  }
}
