package io.sparkaistore.wds;

import java.io.IOException;

/**
 * The members of one archive format, parsed from an uncompressed byte stream with every integrity
 * check the format carries. Implementations fail with a corrupt-shard {@link WdsFormatException}
 * that names the member and the offset; a failure of the underlying stream (the network) is
 * rethrown as it is.
 */
interface ArchiveStream {
  /**
   * The next regular file, or null once the end of the archive has been reached and verified (for
   * zip, the central directory checked against every entry read). Moving on skips the unread
   * content of the previous member, checking it as reading would.
   */
  ShardMember next() throws IOException;

  /**
   * Entries passed over because they are not regular files: links, devices, FIFOs. Directories are
   * not counted.
   */
  long skippedEntries();
}
