package io.sparkaistore.client;

import java.io.Serializable;
import java.util.Objects;

/**
 * A bucket and an object-name prefix, written as the AIS CLI writes them: {@code
 * ais://bucket/prefix}, {@code s3://bucket/}, {@code gs://bucket/dir/file}. The name part is taken
 * verbatim (no URL decoding), so object names with {@code %}, {@code #} or spaces select exactly
 * what they say; it may hold brace patterns and globs ({@link PathPattern}), and then selects the
 * names the pattern matches under its literal prefix.
 */
public final class AisPath implements Serializable {
  private static final long serialVersionUID = 1L;

  private final AisBucket bucket;
  private final String prefix;
  private final PathPattern pattern;

  /** A literal prefix, without patterns. */
  public AisPath(AisBucket bucket, String prefix) {
    this(bucket, prefix, null);
  }

  private AisPath(AisBucket bucket, String prefix, PathPattern pattern) {
    this.bucket = Objects.requireNonNull(bucket, "bucket");
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    this.pattern = pattern;
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
      PathPattern pattern = PathPattern.parse(prefix);
      return new AisPath(
          new AisBucket(provider, bucket),
          pattern.literalPrefix(),
          pattern.hasWildcards() ? pattern : null);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid AIS path '" + path + "': " + e.getMessage(), e);
    }
  }

  public AisBucket bucket() {
    return bucket;
  }

  /**
   * The object-name prefix (a pattern's literal prefix, escapes resolved); empty selects the whole
   * bucket.
   */
  public String prefix() {
    return prefix;
  }

  /** Whether the path holds brace patterns or globs. */
  public boolean isPattern() {
    return pattern != null;
  }

  /** The path's pattern, or null when it is a plain prefix. */
  public PathPattern pattern() {
    return pattern;
  }

  /** Whether an object listed under {@link #prefix()} is selected: always, unless a pattern. */
  public boolean selects(String name) {
    return pattern == null || pattern.matches(name);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof AisPath)) {
      return false;
    }
    AisPath other = (AisPath) o;
    return other.bucket.equals(bucket)
        && other.prefix.equals(prefix)
        && Objects.equals(other.pattern, pattern);
  }

  @Override
  public int hashCode() {
    return Objects.hash(bucket, prefix, pattern);
  }

  @Override
  public String toString() {
    return bucket + "/" + (pattern == null ? prefix : pattern.text());
  }
}
