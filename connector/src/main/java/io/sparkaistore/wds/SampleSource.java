package io.sparkaistore.wds;

import java.io.Closeable;
import java.io.IOException;

/** The samples of one shard, in archive order: streamed, or read through its index. */
public interface SampleSource extends Closeable {
  /** The next sample, or null at the end of the shard. */
  Sample next() throws IOException;

  /** Members passed over so far because they belong to no sample. */
  long skippedMembers();
}
