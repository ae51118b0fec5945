package io.sparkaistore.wds;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A zip member's content: exactly its uncompressed bytes, whose CRC-32 and sizes are computed as
 * they are read and compared, at the end of the data, with the local header or the data descriptor.
 * Valid until the next member is requested; content left unread is drained through the same checks.
 */
abstract class ZipContent extends InputStream {
  final ZipStream.Entry entry;
  final ZipStream zip;
  final ZipInput in;
  final CRC32 crc = new CRC32();
  long size; // uncompressed bytes so far
  private boolean ended;

  ZipContent(ZipStream zip, ZipStream.Entry entry) {
    this.zip = zip;
    this.entry = entry;
    this.in = zip.in;
  }

  static ZipContent of(ZipStream zip, ZipStream.Entry entry) {
    if (entry.method == ZipStream.DEFLATED) {
      return new Inflated(zip, entry);
    }
    return entry.descriptor ? new StoredUntilDescriptor(zip, entry) : new Stored(zip, entry);
  }

  @Override
  public final int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public final int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    zip.checkReadable(this);
    if (ended) {
      return -1;
    }
    if (len == 0) {
      return 0;
    }
    int n = readData(b, off, len);
    if (n < 0) {
      ended = true;
      return -1;
    }
    crc.update(b, off, n);
    size += n;
    return n;
  }

  /**
   * Up to {@code len} more bytes of the member, or -1 once its data has ended and been verified.
   */
  abstract int readData(byte[] b, int off, int len) throws IOException;

  void skipRest() throws IOException {
    while (read(zip.skipBuffer, 0, zip.skipBuffer.length) >= 0) {
      // each byte goes through the CRC, so a member skipped unread is checked too
    }
  }

  @Override
  public void close() {
    // The archive stays open for the next member.
  }

  void verifyHeader(long compressedSize) throws IOException {
    verify("the local header", entry.crc, entry.compressedSize, entry.size, compressedSize);
  }

  /**
   * Reads the data descriptor at the read position and checks the data against it. Its signature is
   * optional: taken as present when the first word is the signature, unless the data's CRC-32
   * happens to equal it and the next word is not the signature again.
   */
  void verifyDescriptor(long compressedSize) throws IOException {
    long at = in.position();
    if (!in.ensure(8)) {
      throw truncated("inside the data descriptor at offset " + at);
    }
    int start =
        in.u32(0) == ZipStream.DESCRIPTOR
                && (crc.getValue() != ZipStream.DESCRIPTOR || in.u32(4) == ZipStream.DESCRIPTOR)
            ? 4
            : 0;
    boolean wide = wideDescriptor(compressedSize);
    int length = start + (wide ? 20 : 12);
    if (!in.ensure(length)) {
      throw truncated("inside the data descriptor at offset " + at);
    }
    long claimedCrc = in.u32(start);
    long claimedCompressed = wide ? in.u64(start + 4) : in.u32(start + 4);
    long claimedSize = wide ? in.u64(start + 12) : in.u32(start + 8);
    in.consume(length);
    verify(
        "the data descriptor at offset " + at,
        claimedCrc,
        claimedCompressed,
        claimedSize,
        compressedSize);
  }

  /**
   * Whether the descriptor's sizes are 64-bit: for ZIP64 entries (commons-compress, Python), and
   * for sizes that do not fit 32 bits (Java's ZipOutputStream, which adds no ZIP64 field first).
   */
  boolean wideDescriptor(long compressedSize) {
    return entry.zip64 || compressedSize >= ZipFields.ZIP64_MAGIC || size >= ZipFields.ZIP64_MAGIC;
  }

  /** Compares the data with the claims, then checks that a header follows it. */
  private void verify(
      String source, long claimedCrc, long claimedCompressed, long claimedSize, long compressedSize)
      throws IOException {
    if (claimedSize != size || claimedCompressed != compressedSize) {
      throw corrupt(
          source
              + " says "
              + claimedSize
              + " bytes, "
              + claimedCompressed
              + " compressed, but the data has "
              + size
              + " bytes, "
              + compressedSize
              + " compressed");
    }
    if (claimedCrc != crc.getValue()) {
      throw corrupt(
          "CRC-32 mismatch: "
              + source
              + " says "
              + hex(claimedCrc)
              + ", the data's is "
              + hex(crc.getValue()));
    }
    entry.crc = claimedCrc;
    entry.compressedSize = compressedSize;
    entry.size = size;
    expectHeader();
  }

  /**
   * Checks that a local header or the central directory follows the data (and descriptor), as one
   * always does: a member whose claimed sizes are wrong but consistent with its CRC (a flipped
   * descriptor flag leaves an empty member, say) then fails its own read.
   */
  private void expectHeader() throws IOException {
    long at = in.position();
    if (!in.ensure(4)) {
      throw truncated(
          "at offset " + at + ", after the member's data, before the central directory");
    }
    if (in.u32(0) != ZipStream.LOCAL_HEADER && in.u32(0) != ZipStream.CENTRAL_HEADER) {
      throw corrupt(
          "neither a local header nor the central directory follows the member's data, at offset "
              + at
              + ": its sizes are wrong or the archive is corrupt");
    }
  }

  WdsFormatException corrupt(String problem) {
    return zip.corruptMember(entry.name, problem + " (member at offset " + entry.offset + ")");
  }

  WdsFormatException truncated(String where) {
    return corrupt("the stream ends " + where + ": a truncated archive");
  }

  private static String hex(long crc) {
    return String.format("%08x", crc);
  }

  /** Stored data of the size the local header gives. */
  private static final class Stored extends ZipContent {
    Stored(ZipStream zip, ZipStream.Entry entry) {
      super(zip, entry);
    }

    @Override
    int readData(byte[] b, int off, int len) throws IOException {
      long left = entry.size - size;
      if (left == 0) {
        verifyHeader(size);
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw truncated("after " + size + " of " + entry.size + " bytes of content");
      }
      return n;
    }
  }

  /**
   * Stored data whose size only the data descriptor after it gives. The data ends at the first
   * descriptor signature whose CRC-32 and sizes match the bytes before it and which a local or
   * central header follows; bytes are handed out as soon as they cannot start that descriptor, so
   * only a descriptor's length is held back.
   */
  private static final class StoredUntilDescriptor extends ZipContent {
    /** Signature, CRC-32, two 64-bit sizes, the next header's signature. */
    private static final int LOOKAHEAD = 28;

    private long clearUntil; // the stream offset up to which no descriptor signature starts

    StoredUntilDescriptor(ZipStream zip, ZipStream.Entry entry) {
      super(zip, entry);
    }

    @Override
    int readData(byte[] b, int off, int len) throws IOException {
      while (true) {
        long clear = clearUntil - in.position();
        if (clear <= 0) {
          clear = in.distanceToDescriptor();
          clearUntil = in.position() + clear;
        }
        if (clear > 0) {
          return in.read(b, off, (int) Math.min(clear, len));
        }
        if (!in.ensure(LOOKAHEAD)) { // a descriptor and the central directory after it take more
          throw truncated(
              "inside the data after "
                  + size
                  + " bytes, before a data descriptor that matches them");
        }
        if (in.u32(0) == ZipStream.DESCRIPTOR) {
          if (endsHere()) {
            verifyDescriptor(size);
            return -1;
          }
          return in.read(b, off, 1); // a signature inside the data: its first byte is data
        }
      }
    }

    private boolean endsHere() {
      boolean wide = wideDescriptor(size);
      long next = in.u32(wide ? 24 : 16);
      return in.u32(4) == crc.getValue()
          && (wide
              ? in.u64(8) == size && in.u64(16) == size
              : in.u32(8) == size && in.u32(12) == size)
          && (next == ZipStream.LOCAL_HEADER || next == ZipStream.CENTRAL_HEADER);
    }
  }

  /**
   * Deflated data, fed to the inflater from the archive's buffer, so that the bytes after it stay
   * there.
   */
  private static final class Inflated extends ZipContent {
    private final Inflater inflater;
    private long compressedSize; // bytes the inflater used

    Inflated(ZipStream zip, ZipStream.Entry entry) {
      super(zip, entry);
      this.inflater = zip.inflater;
      inflater.reset();
    }

    @Override
    int readData(byte[] b, int off, int len) throws IOException {
      while (true) {
        int given =
            in.feed(
                inflater,
                entry.descriptor ? Long.MAX_VALUE : entry.compressedSize - compressedSize);
        int n = inflate(b, off, len);
        int used = given - inflater.getRemaining();
        in.consume(used);
        compressedSize += used;
        if (n > 0) {
          return checkSize(n);
        }
        if (inflater.finished()) {
          end();
          return -1;
        }
        if (inflater.needsDictionary()) {
          throw corrupt("deflate data that needs a preset dictionary, which zip has no place for");
        }
        if (inflater.needsInput()) {
          moreInput();
        }
      }
    }

    private int inflate(byte[] b, int off, int len) throws WdsFormatException {
      try {
        return inflater.inflate(b, off, len);
      } catch (DataFormatException e) {
        throw corrupt(
            "invalid deflate data after "
                + compressedSize
                + " compressed bytes ("
                + e.getMessage()
                + ")");
      }
    }

    private int checkSize(int n) throws WdsFormatException {
      if (!entry.descriptor && size + n > entry.size) {
        throw corrupt(
            "the data inflates to more than the " + entry.size + " bytes the local header claims");
      }
      return n;
    }

    private void moreInput() throws IOException {
      if (!entry.descriptor && compressedSize == entry.compressedSize) {
        throw corrupt(
            "the deflate data runs past the "
                + entry.compressedSize
                + " compressed bytes the local header claims");
      }
      if (!in.ensure(1)) {
        throw truncated("inside the deflate data after " + compressedSize + " compressed bytes");
      }
    }

    private void end() throws IOException {
      if (entry.descriptor) {
        verifyDescriptor(compressedSize);
      } else {
        verifyHeader(compressedSize);
      }
    }
  }
}
