package io.sparkaistore.client;

import java.io.Serializable;
import java.util.Objects;

/** One entry of a GetBatch request: an object. */
public final class BatchItem implements Serializable {
  private static final long serialVersionUID = 1L;

  private final AisBucket bucket;
  private final String object;

  private BatchItem(AisBucket bucket, String object) {
    this.bucket = Objects.requireNonNull(bucket, "bucket");
    this.object = Objects.requireNonNull(object, "object");
  }

  public static BatchItem object(AisBucket bucket, String object) {
    return new BatchItem(bucket, object);
  }

  public AisBucket bucket() {
    return bucket;
  }

  public String object() {
    return object;
  }

  @Override
  public String toString() {
    return bucket + "/" + object;
  }
}
