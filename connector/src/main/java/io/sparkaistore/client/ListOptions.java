package io.sparkaistore.client;

import java.util.Objects;

/**
 * What a bucket listing returns: a name prefix, the properties per entry, flags and the page size.
 */
public final class ListOptions {
  /** List-objects flag: list the members inside shards too. */
  public static final int FLAG_ARCH_DIR = 8;

  /**
   * The properties the connector reads; {@code name,size} alone is AIS's cheap name-size listing.
   */
  public static final String PROPS_NAME_SIZE = "name,size";

  private final String prefix;
  private final String props;
  private final int flags;
  private final int pageSize;

  private ListOptions(String prefix, String props, int flags, int pageSize) {
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    this.props = Objects.requireNonNull(props, "props");
    this.flags = flags;
    if (pageSize < 0) {
      throw new IllegalArgumentException(
          "pageSize must be >= 0 (0 = AIS's default), got " + pageSize);
    }
    this.pageSize = pageSize;
  }

  /** Names and sizes of every object under {@code prefix}, in AIS's default page size. */
  public static ListOptions prefix(String prefix) {
    return new ListOptions(prefix, PROPS_NAME_SIZE, 0, 0);
  }

  /** Comma-separated AIS properties: name, size, version, checksum, atime, location, ... */
  public ListOptions withProps(String value) {
    return new ListOptions(prefix, value, flags, pageSize);
  }

  public ListOptions withFlags(int value) {
    return new ListOptions(prefix, props, value, pageSize);
  }

  public ListOptions withPageSize(int value) {
    return new ListOptions(prefix, props, flags, value);
  }

  public String prefix() {
    return prefix;
  }

  public String props() {
    return props;
  }

  public int flags() {
    return flags;
  }

  public int pageSize() {
    return pageSize;
  }
}
