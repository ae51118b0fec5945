package io.sparkaistore.client;

import java.io.Serializable;
import java.time.Instant;

/**
 * One entry of a bucket listing: an object, or (when listing with {@link
 * ListOptions#FLAG_ARCH_DIR}) a shard or a member inside one. Optional properties are null when not
 * requested or not known.
 */
public final class ObjectEntry implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Entry flag: the entry is a member inside a shard, named {@code <shard>/<path in shard>}. */
  public static final int IN_ARCHIVE = 128;

  /** Entry flag: the entry is a shard whose members follow it in the listing. */
  public static final int IS_ARCHIVE = 512;

  private final String name;
  private final long size;
  private final String checksum;
  private final String version;
  private final Instant atime;
  private final String location;
  private final int flags;

  public ObjectEntry(
      String name,
      long size,
      String checksum,
      String version,
      Instant atime,
      String location,
      int flags) {
    this.name = name;
    this.size = size;
    this.checksum = checksum;
    this.version = version;
    this.atime = atime;
    this.location = location;
    this.flags = flags;
  }

  public String name() {
    return name;
  }

  public long size() {
    return size;
  }

  /** The object's checksum value (AIS's default type is xxhash2), or null. */
  public String checksum() {
    return checksum;
  }

  public String version() {
    return version;
  }

  /** The last access time, or null. */
  public Instant atime() {
    return atime;
  }

  /** AIS's location string, {@code t[<target id>]:mp[...]}, or null. */
  public String location() {
    return location;
  }

  /** The ID of the target that holds the object, parsed from {@link #location()}, or null. */
  public String targetId() {
    if (location == null || !location.startsWith("t[")) {
      return null;
    }
    int end = location.indexOf(']');
    return end > 2 ? location.substring(2, end) : null;
  }

  public int flags() {
    return flags;
  }

  public boolean isInArchive() {
    return (flags & IN_ARCHIVE) != 0;
  }

  public boolean isArchive() {
    return (flags & IS_ARCHIVE) != 0;
  }

  @Override
  public String toString() {
    return name + " (" + size + " bytes)";
  }
}
