package io.sparkaistore.wds;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Streams the regular files of one shard, in archive order, from a byte stream: {@code .tar},
 * {@code .tar.gz}/{@code .tgz}, {@code .tar.lz4} or {@code .zip}, recognised by content. Nothing is
 * buffered beyond the decompressor's window: a member's content is read straight from the stream,
 * and skipped when the caller moves on without reading it.
 *
 * <p>Every integrity check the format carries is made: tar header checksums, gzip's CRC-32 and
 * length, lz4's frame checksums, zip's CRC-32 and its central directory. Checks at the end of the
 * stream (gzip's trailer, zip's central directory) fail the last {@link #next()}, after the members
 * before them were returned: a caller that must not keep rows of a corrupt shard watches for that.
 */
public final class ShardReader implements Closeable {
  private final String shard;
  private final SourceStream source;
  private final InputStream decoded;
  private final ArchiveStream archive;
  private final ShardFormat format;
  private String lastMember;

  private ShardReader(
      String shard,
      SourceStream source,
      InputStream decoded,
      ArchiveStream archive,
      ShardFormat format) {
    this.shard = shard;
    this.source = source;
    this.decoded = decoded;
    this.archive = archive;
    this.format = format;
  }

  /** Opens a shard whose size is not known; see {@link #open(InputStream, String, long)}. */
  public static ShardReader open(InputStream raw, String shard) throws IOException {
    return open(raw, shard, -1);
  }

  /**
   * Opens {@code raw} as a shard named {@code shard} (for messages) of {@code objectSize} bytes (-1
   * when unknown), which bounds what a header may claim. Fails with a corrupt-shard {@link
   * WdsFormatException} when the bytes are not one of the supported archive formats.
   */
  public static ShardReader open(InputStream raw, String shard, long objectSize)
      throws IOException {
    SourceStream source = new SourceStream(raw);
    BufferedInputStream in = new BufferedInputStream(source, 64 * 1024);
    ShardFormat format = null;
    boolean opened = false;
    try {
      format = ShardFormat.sniff(in);
      if (format == null) {
        throw WdsFormatException.corruptShard(
            shard,
            null,
            "not a shard: the content is not a tar, tar.gz, tar.lz4 or zip archive",
            null);
      }
      InputStream decoded = decoder(in, format);
      ShardReader reader =
          new ShardReader(
              shard, source, decoded, archive(decoded, format, shard, objectSize), format);
      opened = true;
      return reader;
    } catch (IOException e) {
      throw classify(source, shard, null, "unreadable " + format + " archive", e);
    } finally {
      if (!opened) {
        in.close();
      }
    }
  }

  /**
   * Opens {@code raw}, the bytes of a plain tar shard of {@code objectSize} bytes from {@code
   * offset} on, where a header starts: a range of the shard that its index points at. Members keep
   * their offsets in the whole shard.
   */
  public static ShardReader openTarAt(InputStream raw, String shard, long objectSize, long offset) {
    SourceStream source = new SourceStream(raw);
    BufferedInputStream in = new BufferedInputStream(source, 64 * 1024);
    return new ShardReader(
        shard, source, in, new TarStream(in, shard, objectSize, offset), ShardFormat.TAR);
  }

  private static InputStream decoder(BufferedInputStream in, ShardFormat format) {
    return format == ShardFormat.TAR_GZ || format == ShardFormat.TAR_LZ4
        ? new CompressedMembers(in, format)
        : in;
  }

  private static ArchiveStream archive(
      InputStream in, ShardFormat format, String shard, long objectSize) {
    switch (format) {
      case TAR:
        return new TarStream(in, shard, objectSize);
      case TAR_GZ:
      case TAR_LZ4:
        // the object's size says nothing of the uncompressed size
        return new TarStream(in, shard, -1);
      case ZIP:
        return new ZipStream(in, shard, objectSize);
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

  /** Links, devices and other entries that are not regular files, passed over so far. */
  public long skippedEntries() {
    return archive.skippedEntries();
  }

  /**
   * The next regular file, or null at the end of the archive, once its integrity has been verified.
   */
  public ShardMember next() throws IOException {
    ShardMember member;
    try {
      member = archive.next();
    } catch (IOException e) {
      throw classify(
          source,
          shard,
          lastMember,
          lastMember == null ? "unreadable from the start" : "unreadable after this member",
          e);
    }
    if (member == null) {
      return null;
    }
    lastMember = member.name();
    return new ShardMember(
        member.name(),
        member.size(),
        member.offset(),
        member.sizeVerified(),
        new MemberContent(this, member));
  }

  @Override
  public void close() throws IOException {
    decoded.close();
  }

  /**
   * What a failure means: the network's own exception when the source failed (not corruption), the
   * archive's when it said what is wrong, else a corrupt shard (a decompressor's complaint, say).
   */
  private static IOException classify(
      SourceStream source, String shard, String member, String context, IOException e) {
    if (source.failure != null) {
      return source.failure;
    }
    if (e instanceof WdsFormatException) {
      return e;
    }
    String why =
        e.getMessage() != null
            ? e.getMessage()
            : e.getClass().getSimpleName(); // EOFException has none
    return WdsFormatException.corruptShard(
        shard, member, context + " (" + why + "): a truncated or corrupt archive", e);
  }

  /**
   * Remembers a failure of the underlying stream (a network error, say), which is not corruption.
   */
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

  /** A member's content; a failure that is not the network's names the member. */
  private static final class MemberContent extends InputStream {
    private final ShardReader reader;
    private final ShardMember member;

    MemberContent(ShardReader reader, ShardMember member) {
      this.reader = reader;
      this.member = member;
    }

    @Override
    public int read() throws IOException {
      try {
        return member.content().read();
      } catch (IOException e) {
        throw failure(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return member.content().read(b, off, len);
      } catch (IOException e) {
        throw failure(e);
      }
    }

    private IOException failure(IOException e) {
      return classify(
          reader.source,
          reader.shard,
          member.name(),
          "content unreadable at offset " + member.offset(),
          e);
    }

    @Override
    public void close() {
      // The archive stream stays open for the next member.
    }
  }
}
