package io.sparkaistore.wds;

import java.io.IOException;
import java.io.InputStream;

/**
 * One member of a shard as the stream reaches it: its name, size and type now, its content only if
 * read before the stream moves on.
 */
public final class ShardMember {
  private final String name;
  private final long size;
  private final boolean file;
  private final InputStream content;

  ShardMember(String name, long size, boolean file, InputStream content) {
    this.name = name;
    this.size = size;
    this.file = file;
    this.content = content;
  }

  /** The path inside the archive. */
  public String name() {
    return name;
  }

  /** The size in bytes, or -1 when the archive does not say before the content (some zip entries). */
  public long size() {
    return size;
  }

  /** Whether it is a regular file (not a directory, link or special entry). */
  public boolean isFile() {
    return file;
  }

  /** The content; valid until the next member is requested. Do not close it. */
  public InputStream content() {
    return content;
  }

  /** Reads the whole content, refusing more than {@code limit} bytes. */
  public byte[] readContent(long limit, String shard) throws IOException {
    if (size > limit) {
      throw tooLarge(shard, size, limit);
    }
    if (size >= 0) {
      // The usual case (tar): one array of the exact size, filled straight from the stream.
      byte[] bytes = new byte[(int) size];
      int n = content.readNBytes(bytes, 0, bytes.length);
      if (n < bytes.length) {
        throw WdsFormatException.corruptShard(shard, name, "content ends after " + n + " of " + size + " bytes", null);
      }
      return bytes;
    }
    byte[] bytes = content.readNBytes((int) Math.min(limit, Integer.MAX_VALUE - 8) + 1);
    if (bytes.length > limit) {
      throw tooLarge(shard, bytes.length, limit);
    }
    return bytes;
  }

  private WdsFormatException tooLarge(String shard, long bytes, long limit) {
    return WdsFormatException.malformed(shard, name, (size >= 0 ? size : bytes)
        + " bytes or more, over the member size limit of " + limit + " bytes (option maxMemberSize)");
  }
}
