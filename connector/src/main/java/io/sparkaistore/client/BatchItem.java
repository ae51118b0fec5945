package io.sparkaistore.client;

import java.io.Serializable;
import java.util.Objects;

/** One entry of a GetBatch request: an object, or with {@code archpath} a member inside a shard. */
public final class BatchItem implements Serializable {
  private static final long serialVersionUID = 1L;

  private final AisBucket bucket;
  private final String object;
  private final String archpath;

  private BatchItem(AisBucket bucket, String object, String archpath) {
    this.bucket = Objects.requireNonNull(bucket, "bucket");
    this.object = Objects.requireNonNull(object, "object");
    this.archpath = archpath;
  }

  public static BatchItem object(AisBucket bucket, String object) {
    return new BatchItem(bucket, object, null);
  }

  public static BatchItem member(AisBucket bucket, String shard, String archpath) {
    return new BatchItem(bucket, shard, Objects.requireNonNull(archpath, "archpath"));
  }

  public AisBucket bucket() {
    return bucket;
  }

  public String object() {
    return object;
  }

  /** The path inside the shard, or null for a whole object. */
  public String archpath() {
    return archpath;
  }

  @Override
  public String toString() {
    return bucket + "/" + object + (archpath == null ? "" : "[" + archpath + "]");
  }
}
