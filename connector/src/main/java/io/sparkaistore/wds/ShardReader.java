package io.sparkaistore.wds;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;

/**
 * Streams the members of one shard, in archive order, from a byte stream: {@code .tar},
 * {@code .tar.gz}/{@code .tgz}, {@code .tar.lz4} or {@code .zip}, recognised by content. Nothing is
 * buffered beyond the decompressor's window: a member's content is read straight from the stream,
 * and skipped when the caller moves on without reading it.
 */
public final class ShardReader implements Closeable {
  private final String shard;
  private final SourceStream source;
  private final ArchiveInputStream<? extends ArchiveEntry> archive;
  private final ShardFormat format;
  private String lastMember;

  private ShardReader(
      String shard, SourceStream source, ArchiveInputStream<? extends ArchiveEntry> archive, ShardFormat format) {
    this.shard = shard;
    this.source = source;
    this.archive = archive;
    this.format = format;
  }

  /**
   * Opens {@code raw} as a shard named {@code shard} (for messages). Fails with a corrupt-shard
   * {@link WdsFormatException} when the bytes are not one of the supported archive formats.
   */
  public static ShardReader open(InputStream raw, String shard) throws IOException {
    SourceStream source = new SourceStream(raw);
    BufferedInputStream in = new BufferedInputStream(source, 64 * 1024);
    ShardFormat format = null;
    try {
      format = ShardFormat.sniff(in);
      if (format == null) {
        throw WdsFormatException.corruptShard(shard, null,
            "not a shard: the content is not a tar, tar.gz, tar.lz4 or zip archive", null);
      }
      return new ShardReader(shard, source, archiveStream(in, format), format);
    } catch (IOException e) {
      in.close();
      if (source.failure != null || e instanceof WdsFormatException) {
        throw source.failure != null ? source.failure : e;
      }
      throw WdsFormatException.corruptShard(shard, null, "unreadable " + format + " archive: " + e.getMessage(), e);
    }
  }

  private static ArchiveInputStream<? extends ArchiveEntry> archiveStream(InputStream in, ShardFormat format)
      throws IOException {
    switch (format) {
      case TAR:
        return new TarArchiveInputStream(in);
      case TAR_GZ:
        return new TarArchiveInputStream(new GzipCompressorInputStream(in, true));
      case TAR_LZ4:
        return new TarArchiveInputStream(new FramedLZ4CompressorInputStream(in, true));
      case ZIP:
        return new ZipArchiveInputStream(in);
      default:
        throw new IllegalStateException("unhandled format " + format);
    }
  }

  public ShardFormat format() {
    return format;
  }

  public String shard() {
    return shard;
  }

  /** The next member, or null at the end of the archive. */
  public ShardMember next() throws IOException {
    ArchiveEntry entry;
    try {
      entry = archive.getNextEntry();
    } catch (IOException e) {
      if (source.failure != null) {
        throw source.failure;
      }
      throw WdsFormatException.corruptShard(shard, lastMember,
          (lastMember == null ? "unreadable from the start" : "unreadable after this member") + " (" + e.getMessage()
              + "): a truncated or corrupt " + format + " archive", e);
    }
    if (entry == null) {
      return null;
    }
    lastMember = entry.getName();
    boolean file = entry instanceof TarArchiveEntry ? ((TarArchiveEntry) entry).isFile() : !entry.isDirectory();
    return new ShardMember(entry.getName(), entry.getSize(), file, new MemberContent(this, lastMember));
  }

  @Override
  public void close() throws IOException {
    archive.close();
  }

  /** Remembers a failure of the underlying stream (a network error, say), which is not corruption. */
  private static final class SourceStream extends FilterInputStream {
    private IOException failure;

    SourceStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return in.read(b, off, len);
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }
  }

  /** A member's content; a read failure of the archive itself names the member as truncated. */
  private static final class MemberContent extends InputStream {
    private final ShardReader reader;
    private final String member;

    MemberContent(ShardReader reader, String member) {
      this.reader = reader;
      this.member = member;
    }

    @Override
    public int read() throws IOException {
      try {
        return reader.archive.read();
      } catch (IOException e) {
        throw failure(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return reader.archive.read(b, off, len);
      } catch (IOException e) {
        throw failure(e);
      }
    }

    private IOException failure(IOException e) {
      if (reader.source.failure != null) {
        return reader.source.failure;
      }
      return WdsFormatException.corruptShard(reader.shard, member, "content unreadable (" + e.getMessage()
          + "): a truncated or corrupt archive", e);
    }

    @Override
    public void close() {
      // The archive stream stays open for the next member.
    }
  }
}
