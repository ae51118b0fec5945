package io.sparkaistore.wds;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * One regular file of a shard as the stream reaches it: its name, size and offset now, its content
 * only if read before the stream moves on. Links, devices and other special entries never become
 * members (the {@link ShardReader} counts them as skipped).
 */
public final class ShardMember {
  /**
   * Content up to this size is read into an array of its claimed size at once; beyond it the array
   * grows with the data.
   */
  static final int EXACT_ALLOCATION_LIMIT = 1 << 20;

  /** The largest array the JVM reliably allocates. */
  private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  private final String name;
  private final long size;
  private final long offset;
  private final boolean sizeVerified;
  private final InputStream content;

  /**
   * @param size the size the archive claims, or -1 when it does not say before the content
   * @param offset where the member's header starts in the (uncompressed) archive, for messages
   * @param sizeVerified whether {@code size} has been checked against the bytes the object can
   *     still hold, so that an array of that size may be allocated before the data arrives
   */
  ShardMember(String name, long size, long offset, boolean sizeVerified, InputStream content) {
    this.name = name;
    this.size = size;
    this.offset = offset;
    this.sizeVerified = sizeVerified;
    this.content = content;
  }

  /** The path inside the archive. */
  public String name() {
    return name;
  }

  /**
   * The size in bytes, or -1 when the archive does not say before the content (some zip entries).
   */
  public long size() {
    return size;
  }

  boolean sizeVerified() {
    return sizeVerified;
  }

  /** Where the member's header starts in the uncompressed archive. */
  public long offset() {
    return offset;
  }

  /**
   * The content; valid until the next member is requested. Do not close it. Reading it to its end
   * checks whatever integrity data the archive carries for it (a zip member's CRC-32 and sizes),
   * and fails with a corrupt-shard {@link WdsFormatException} when the check fails.
   */
  public InputStream content() {
    return content;
  }

  /**
   * Reads the whole content, refusing more than {@code limit} bytes. Memory follows the bytes that
   * arrive: a size the archive claims is allocated at once only when it is small or verified
   * against the object's size, so a forged header cannot make the reader allocate what the shard
   * does not hold.
   */
  public byte[] readContent(long limit, String shard) throws IOException {
    long bound = Math.min(limit, MAX_ARRAY);
    if (size > bound) {
      throw tooLarge(shard, size, bound);
    }
    // Unknown sizes read one byte past the bound, to tell "at the limit" from "over it".
    long max = size >= 0 ? size : bound + 1;
    boolean exact = size >= 0 && (sizeVerified || size <= EXACT_ALLOCATION_LIMIT);
    // An unknown size (a zip member with a data descriptor) starts small: most members are.
    byte[] buf =
        new byte
            [(int) (exact ? size : Math.min(max, size >= 0 ? EXACT_ALLOCATION_LIMIT : 64 * 1024))];
    int length = 0;
    while (length < max) {
      if (length == buf.length) {
        buf = Arrays.copyOf(buf, (int) Math.min(max, 2L * buf.length));
      }
      int n = content.read(buf, length, buf.length - length);
      if (n < 0) {
        break;
      }
      length += n;
    }
    if (length > bound) {
      throw tooLarge(shard, length, bound);
    }
    if (size >= 0) {
      if (length < size) {
        throw WdsFormatException.corruptShard(
            shard,
            name,
            "content ends after "
                + length
                + " of "
                + size
                + " bytes (member at offset "
                + offset
                + "): a truncated archive",
            null);
      }
      expectEnd();
    }
    return length == buf.length ? buf : Arrays.copyOf(buf, length);
  }

  /** Reads past the last byte, so that the archive checks the member's integrity data now. */
  private void expectEnd() throws IOException {
    if (content.read() >= 0) {
      throw new IllegalStateException("member " + name + " has more than its " + size + " bytes");
    }
  }

  private WdsFormatException tooLarge(String shard, long bytes, long limit) {
    return WdsFormatException.malformed(
        shard,
        name,
        (size >= 0 ? size : bytes)
            + " bytes or more, over the member size limit of "
            + limit
            + " bytes (option maxMemberSize)");
  }
}
