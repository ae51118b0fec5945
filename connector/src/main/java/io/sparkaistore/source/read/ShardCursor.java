package io.sparkaistore.source.read;

import io.sparkaistore.wds.ShardReader;
import io.sparkaistore.wds.WdsFormatException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks a task's shards in order and yields their items (rows, or members' content): opens each
 * shard as the previous one ends, parsing it as it arrives, so that one item is held at a time,
 * never a shard. Shards deleted since planning, corrupt shards and malformed items are skipped and
 * counted, or fail the read, as the {@link BadShardRule} and the fetch settings say.
 *
 * @param <T> what a shard's items are
 */
final class ShardCursor<T> implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(ShardCursor.class);

  /** The items of one open shard. */
  interface Items<T> {
    /** The next item, or null at the end of the shard. */
    T next() throws IOException;

    /**
     * Members of the shard passed over so far: not regular files, or (for samples) without a key.
     */
    long skippedMembers();

    /** Ends the shard's reading; the shard stream itself is closed by the cursor. */
    default void close() throws IOException {}
  }

  /** Reads a shard without streaming it whole (through its index), or says to stream it: null. */
  interface Direct<T> {
    Items<T> open(ListedObject listed) throws IOException;
  }

  /** Starts reading items from a shard just opened. */
  interface Opener<T> {
    Items<T> open(ShardReader shard, ListedObject listed);
  }

  private final List<ListedObject> shards;
  private final ObjectFetcher fetcher;
  private final BadShardRule rule;
  private final Opener<T> opener;
  private final Direct<T> direct;
  private int next;
  private ShardReader reader;
  private Items<T> items;
  private long itemsOfShard;
  private long shardsOpened;
  private long missing;
  private long skipped;
  private long skippedMembersOfClosedShards;

  /** A cursor that streams every shard. */
  ShardCursor(
      List<ListedObject> shards, ObjectFetcher fetcher, BadShardRule rule, Opener<T> opener) {
    this(shards, fetcher, rule, opener, listed -> null);
  }

  ShardCursor(
      List<ListedObject> shards,
      ObjectFetcher fetcher,
      BadShardRule rule,
      Opener<T> opener,
      Direct<T> direct) {
    this.shards = shards;
    this.fetcher = fetcher;
    this.rule = rule;
    this.opener = opener;
    this.direct = direct;
  }

  /** The next item of the shards, in order, or null when every shard is read. */
  T next() throws IOException {
    while (true) {
      if (items == null && !openNextShard()) {
        return null;
      }
      try {
        T item = items.next();
        if (item != null) {
          itemsOfShard++;
          return item;
        }
        closeShard();
      } catch (WdsFormatException e) {
        skipOrThrow(e);
      } catch (IOException e) {
        if (itemsOfShard > 0 || !fetcher.skipsMissing(e)) {
          throw e;
        }
        // read through its index, the shard proved gone at its first range
        missing++;
        LOG.warn(
            "Skipping shard {}: deleted after the query was planned (ignoreMissingFiles)",
            shards.get(next - 1));
        closeShard();
      }
    }
  }

  /** Opens the next shard that can be opened; false when none is left. */
  private boolean openNextShard() throws IOException {
    while (next < shards.size()) {
      ListedObject shard = shards.get(next++);
      shardsOpened++;
      itemsOfShard = 0;
      InputStream in;
      try {
        Items<T> directItems = direct.open(shard);
        if (directItems != null) {
          items = directItems;
          return true;
        }
        in = fetcher.open(shard);
      } catch (IOException e) {
        if (fetcher.skipsMissing(e)) {
          missing++;
          LOG.warn(
              "Skipping shard {}: deleted after the query was planned (ignoreMissingFiles)", shard);
          continue;
        }
        throw e;
      }
      try {
        reader = ShardReader.open(in, shard.toString(), fetcher.expectedSize(shard));
      } catch (WdsFormatException e) {
        skipOrThrow(e);
        continue;
      }
      items = opener.open(reader, shard);
      return true;
    }
    return false;
  }

  private void skipOrThrow(WdsFormatException e) throws IOException {
    rule.skipOrThrow(e, itemsOfShard);
    skipped++;
    LOG.warn("Skipping: {}", e.getMessage());
    if (e.isCorruptShard()) {
      closeShard();
    }
  }

  private void closeShard() throws IOException {
    if (items != null) {
      skippedMembersOfClosedShards += items.skippedMembers();
      items.close();
    }
    if (reader != null) {
      reader.close();
    }
    reader = null;
    items = null;
  }

  /** Shards taken up so far, including those skipped. */
  long shardsOpened() {
    return shardsOpened;
  }

  /** Shards skipped because they were deleted after planning. */
  long missing() {
    return missing;
  }

  /** Shards and items skipped because they are corrupt or malformed. */
  long skipped() {
    return skipped;
  }

  /** Members passed over so far, in the open shard too. */
  long skippedMembers() {
    return skippedMembersOfClosedShards + (items != null ? items.skippedMembers() : 0);
  }

  @Override
  public void close() throws IOException {
    closeShard();
  }
}
