package io.sparkaistore.source.read;

import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.ObjectEntry;
import io.sparkaistore.wds.DaliIndex;
import java.io.Serializable;

/**
 * An object found by the driver's listing, shipped to the executor that reads it: a whole object,
 * or, for a shard too large for one task, a run of its samples. A shard listed with its DALI index
 * beside it carries that index's entry.
 */
final class ListedObject implements Serializable {
  private static final long serialVersionUID = 1L;

  final AisBucket bucket;
  final ObjectEntry entry;
  final ObjectEntry index; // the shard's DALI index, or null
  final int fromSample; // a slice's first sample (by the index), 0 otherwise
  final int toSample; // a slice's end (exclusive), -1 for the whole object
  private final long sliceBytes;

  ListedObject(AisBucket bucket, ObjectEntry entry) {
    this(bucket, entry, null, 0, -1, entry.size());
  }

  private ListedObject(
      AisBucket bucket,
      ObjectEntry entry,
      ObjectEntry index,
      int fromSample,
      int toSample,
      long sliceBytes) {
    this.bucket = bucket;
    this.entry = entry;
    this.index = index;
    this.fromSample = fromSample;
    this.toSample = toSample;
    this.sliceBytes = sliceBytes;
  }

  /** This shard with its index. */
  ListedObject withIndex(ObjectEntry indexEntry) {
    return new ListedObject(bucket, entry, indexEntry, fromSample, toSample, sliceBytes);
  }

  /** The samples {@code from} to {@code to} (exclusive) of this shard, about {@code bytes} long. */
  ListedObject slice(int from, int to, long bytes) {
    return new ListedObject(bucket, entry, index, from, to, bytes);
  }

  boolean isSlice() {
    return toSample >= 0;
  }

  String name() {
    return entry.name();
  }

  /** The object's size. */
  long size() {
    return entry.size();
  }

  /** The bytes a task reads for it: the object's, or the slice's. */
  long planBytes() {
    return sliceBytes;
  }

  /** The name of the shard's index. */
  String indexName() {
    return bucket + "/" + DaliIndex.nameOf(entry.name());
  }

  /** The object's address, which rows show as {@code __url__} whatever part of it they read. */
  @Override
  public String toString() {
    return bucket + "/" + entry.name();
  }
}
