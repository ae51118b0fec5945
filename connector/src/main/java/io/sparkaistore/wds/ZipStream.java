package io.sparkaistore.wds;

import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;

/** Placeholder until the strict zip reader lands: commons-compress's streaming reader. */
final class ZipStream implements ArchiveStream {
  private final ZipArchiveInputStream zip;

  ZipStream(InputStream in, String shard, long objectSize) {
    this.zip = new ZipArchiveInputStream(in, "UTF-8", true, true);
  }

  @Override
  public ShardMember next() throws IOException {
    ZipArchiveEntry e;
    do {
      e = zip.getNextEntry();
    } while (e != null && e.isDirectory());
    return e == null ? null : new ShardMember(e.getName(), e.getSize(), 0, false, zip);
  }

  @Override
  public long skippedEntries() {
    return 0;
  }
}
