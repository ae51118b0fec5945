package io.sparkaistore.client;

import io.sparkaistore.wds.ShardMember;
import io.sparkaistore.wds.TarStream;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * The answer to a GetBatch request, read in request order, one item at a time, from the response
 * stream. AIS streams a TAR whose i-th member answers the i-th requested item; an item AIS could
 * not find comes back as an empty member under {@code __404__/}, which this reader reports as
 * missing rather than as empty content.
 *
 * <p>Each item is read whole before it is returned, so that an answer that breaks off (a cut
 * connection, a truncated stream) is resumed with a new GetBatch of the items not yet returned, the
 * broken one first, and no item is ever returned in part or twice. Resumes share one {@link
 * RetryBudget}, renewed with every item returned. The TAR itself is parsed by {@link TarStream},
 * strictly (header checksums, UTF-8 names, no member cut short).
 */
public final class BatchReader implements Closeable {
  private static final String MISSING_PREFIX = "__404__/";
  private static final int MAX_ITEM = Integer.MAX_VALUE - 8;

  private final List<BatchItem> items;
  private final HttpTransport transport;
  private final Function<List<BatchItem>, AisRequest> requestFor;
  private final RetryBudget budget;
  private InputStream body;
  private TarStream tar;
  private Hop hop;
  private int next;

  private BatchReader(
      List<BatchItem> items,
      HttpTransport transport,
      Function<List<BatchItem>, AisRequest> requestFor) {
    this.items = items;
    this.transport = transport;
    this.requestFor = requestFor;
    this.budget = transport.newBudget();
  }

  /** Sends the GetBatch request that {@code requestFor} makes of {@code items}. */
  static BatchReader open(
      List<BatchItem> items,
      HttpTransport transport,
      Function<List<BatchItem>, AisRequest> requestFor)
      throws AisException {
    BatchReader reader = new BatchReader(items, transport, requestFor);
    reader.request(reader.requestFor.apply(items));
    return reader;
  }

  private void request(AisRequest request) throws AisException {
    AisResponse response = transport.send(request, budget);
    body = response.body();
    tar = new TarStream(body, "the GetBatch answer");
    hop = response.hop();
  }

  public boolean hasNext() {
    return next < items.size();
  }

  /** The next item, read whole. */
  public Entry next() throws AisException {
    if (!hasNext()) {
      throw new NoSuchElementException("all " + items.size() + " batch items were read");
    }
    BatchItem item = items.get(next);
    while (true) {
      try {
        Entry entry = read(item);
        next++;
        budget.progressed();
        return entry;
      } catch (AisException e) {
        throw e;
      } catch (IOException e) {
        resume(item, e);
      }
    }
  }

  private Entry read(BatchItem item) throws IOException {
    ShardMember member = tar.next();
    if (member == null) {
      throw new EOFException("the answer ended after " + next + " of " + items.size() + " items");
    }
    String expected = expectedName(item);
    if (member.name().equals(MISSING_PREFIX + expected)) {
      return new Entry(item, null);
    }
    if (!member.name().equals(expected)) {
      throw new AisException(
          "GetBatch answered item "
              + (next + 1)
              + " with '"
              + member.name()
              + "' instead of '"
              + expected
              + "'",
          item.bucket().toString(),
          item.object(),
          null);
    }
    if (member.size() > MAX_ITEM) {
      throw new AisException(
          "GetBatch item of "
              + member.size()
              + " bytes is too large to hold; read it with "
              + "its own GET",
          item.bucket().toString(),
          item.object(),
          null);
    }
    // A cut item fails here (content shorter than its header says), and is asked for again.
    byte[] content = member.readContent(MAX_ITEM, "the GetBatch answer");
    transport.stats().countBytes(content.length);
    return new Entry(item, content);
  }

  /** Asks again for the items from {@code item} on, or fails naming it when the budget is spent. */
  private void resume(BatchItem item, IOException cause) throws AisException {
    HttpTransport.closeQuietly(body);
    AisRequest request = requestFor.apply(items.subList(next, items.size()));
    if (HttpTransport.isInterruption(cause) || !transport.awaitRetry(request, budget)) {
      throw AisException.failed(
          "The GetBatch answer broke at item " + (next + 1) + " of " + items.size() + ": " + cause,
          item.bucket().toString(),
          item.object(),
          hop,
          budget.summary(),
          cause);
    }
    request(request);
  }

  private static String expectedName(BatchItem item) {
    return item.bucket().name() + "/" + item.object();
  }

  @Override
  public void close() throws IOException {
    body.close();
  }

  /** One answered item: its content, or {@link #isMissing()} when AIS does not have it. */
  public static final class Entry {
    private final BatchItem item;
    private final byte[] content;

    Entry(BatchItem item, byte[] content) {
      this.item = item;
      this.content = content;
    }

    public BatchItem item() {
      return item;
    }

    public boolean isMissing() {
      return content == null;
    }

    /** The item's size in bytes; -1 when missing. */
    public long size() {
      return content == null ? -1 : content.length;
    }

    /** The item's bytes as a stream. */
    public InputStream content() {
      return new ByteArrayInputStream(bytes());
    }

    /** The item's bytes (the reader's own array: do not change it). */
    public byte[] readAllBytes() {
      return bytes();
    }

    private byte[] bytes() {
      if (content == null) {
        throw new IllegalStateException(item + " is missing: AIS has no such object");
      }
      return content;
    }
  }
}
