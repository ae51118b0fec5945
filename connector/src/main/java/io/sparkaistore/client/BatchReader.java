package io.sparkaistore.client;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The answer to a GetBatch request, read in request order, one item at a time, straight from the
 * response stream. AIS streams a TAR whose i-th member answers the i-th requested item; an item AIS
 * could not find comes back as an empty member under {@code __404__/}, which this reader reports as
 * missing rather than as empty content.
 */
public final class BatchReader implements Closeable {
  private static final String MISSING_PREFIX = "__404__/";

  private final List<BatchItem> items;
  private final TarArchiveInputStream tar;
  private final ClientStats stats;
  private int next;

  BatchReader(List<BatchItem> items, InputStream body, ClientStats stats) {
    this.items = items;
    // AIS writes names as UTF-8; the JVM's default charset (ASCII under LC_ALL=C on Java 17) would garble them.
    this.tar = new TarArchiveInputStream(body, "UTF-8");
    this.stats = stats;
  }

  public boolean hasNext() {
    return next < items.size();
  }

  /**
   * The next item. Its content stream is valid until the following call to {@code next()} and must be
   * read (or skipped) in order.
   */
  public Entry next() throws AisException {
    if (!hasNext()) {
      throw new NoSuchElementException("all " + items.size() + " batch items were read");
    }
    BatchItem item = items.get(next++);
    TarArchiveEntry member;
    try {
      member = tar.getNextEntry();
    } catch (IOException e) {
      throw new AisException(
          "GetBatch response broke before item " + next + " of " + items.size() + ": " + e,
          item.bucket().toString(), item.object(), e);
    }
    if (member == null) {
      throw new AisException(
          "GetBatch response ended after " + (next - 1) + " of " + items.size() + " items",
          item.bucket().toString(), item.object(), null);
    }
    String expected = expectedName(item);
    if (member.getName().equals(MISSING_PREFIX + expected)) {
      return new Entry(item, null, -1);
    }
    if (!member.getName().equals(expected)) {
      throw new AisException(
          "GetBatch answered item " + next + " with '" + member.getName() + "' instead of '" + expected + "'",
          item.bucket().toString(), item.object(), null);
    }
    stats.countBytes(member.getSize());
    return new Entry(item, tar, member.getSize());
  }

  private static String expectedName(BatchItem item) {
    String name = item.bucket().name() + "/" + item.object();
    return item.archpath() == null ? name : name + "/" + item.archpath();
  }

  @Override
  public void close() throws IOException {
    tar.close();
  }

  /** One answered item: its content, or {@link #isMissing()} when AIS does not have it. */
  public static final class Entry {
    private final BatchItem item;
    private final InputStream content;
    private final long size;

    Entry(BatchItem item, InputStream content, long size) {
      this.item = item;
      this.content = content;
      this.size = size;
    }

    public BatchItem item() {
      return item;
    }

    public boolean isMissing() {
      return content == null;
    }

    /** The item's size in bytes; -1 when missing. */
    public long size() {
      return size;
    }

    /** The item's bytes; valid until the next item is requested. */
    public InputStream content() {
      if (content == null) {
        throw new IllegalStateException(item + " is missing: AIS has no such object or member");
      }
      return content;
    }

    /** Reads the whole item. */
    public byte[] readAllBytes() throws IOException {
      return content().readAllBytes();
    }
  }
}
