package io.sparkaistore.client;

import java.io.Serializable;
import java.util.Objects;

/**
 * A bucket and an object-name prefix, written as the AIS CLI writes them: {@code
 * ais://bucket/prefix}, {@code s3://bucket/}, {@code gs://bucket/dir/file}. The prefix is taken
 * verbatim (no URL decoding), so object names with {@code %}, {@code #}, {@code ?} or spaces select
 * exactly what they say.
 */
public final class AisPath implements Serializable {
  private static final long serialVersionUID = 1L;

  private final AisBucket bucket;
  private final String prefix;

  public AisPath(AisBucket bucket, String prefix) {
    this.bucket = Objects.requireNonNull(bucket, "bucket");
    this.prefix = Objects.requireNonNull(prefix, "prefix");
  }

  /** Parses {@code provider://bucket[/prefix]}; fails with a message showing the expected form. */
  public static AisPath parse(String path) {
    Objects.requireNonNull(path, "path");
    int sep = path.indexOf("://");
    if (sep <= 0) {
      throw new IllegalArgumentException(
          "Invalid AIS path '"
              + path
              + "': expected provider://bucket[/prefix], e.g. ais://bucket/prefix ("
              + "providers: "
              + Provider.allowedSchemes()
              + ")");
    }
    Provider provider = Provider.fromScheme(path.substring(0, sep));
    String rest = path.substring(sep + 3);
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : rest.substring(slash + 1);
    if (bucket.isEmpty()) {
      throw new IllegalArgumentException(
          "Invalid AIS path '" + path + "': the bucket name is missing");
    }
    try {
      return new AisPath(new AisBucket(provider, bucket), prefix);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid AIS path '" + path + "': " + e.getMessage(), e);
    }
  }

  public AisBucket bucket() {
    return bucket;
  }

  /** The object-name prefix; empty selects the whole bucket. */
  public String prefix() {
    return prefix;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AisPath aisPath
        && aisPath.bucket.equals(bucket)
        && aisPath.prefix.equals(prefix);
  }

  @Override
  public int hashCode() {
    return Objects.hash(bucket, prefix);
  }

  @Override
  public String toString() {
    return bucket + "/" + prefix;
  }
}
