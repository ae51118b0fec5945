package io.sparkaistore.wds;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;

/**
 * The uncompressed bytes of a gzip stream of one or more members, or an lz4 stream of one or more
 * frames, each checked by its own decoder (gzip's CRC-32 and length, lz4's checksums). Members are
 * decoded one at a time rather than with the decoders' own concatenation, which recurses once per
 * empty lz4 frame and takes an empty lz4 block for the end of the stream. Between and after
 * members, zero padding is skipped for gzip (as Python's gzip does) and skippable frames for lz4;
 * anything else after the last member is an error, never ignored.
 */
final class CompressedMembers extends InputStream {
  private static final byte[] GZIP = {0x1f, (byte) 0x8b};
  private static final byte[] LZ4 = {0x04, 0x22, 0x4d, 0x18};

  // Mark/reset, which the gzip decoder also uses to give back what it read ahead.
  private final BufferedInputStream in;
  private final boolean gzip;
  private InputStream member;
  private boolean ended;

  CompressedMembers(BufferedInputStream in, ShardFormat format) {
    this.in = in;
    this.gzip = format == ShardFormat.TAR_GZ;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n;
    do {
      n = read(one, 0, 1);
    } while (n == 0);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    while (true) {
      if (member == null && !openNext()) {
        return -1;
      }
      long before = compressedCount();
      int n = member.read(b, off, len);
      if (n >= 0) {
        return n;
      }
      if (!gzip && compressedCount() != before) {
        continue; // an empty lz4 block: the decoder answers -1 although its frame goes on
      }
      member = null;
    }
  }

  private long compressedCount() {
    return member instanceof FramedLZ4CompressorInputStream
        ? ((FramedLZ4CompressorInputStream) member).getCompressedCount()
        : 0;
  }

  /** Starts the next member; false at the end of the stream. */
  private boolean openNext() throws IOException {
    if (ended) {
      return false;
    }
    while (true) {
      if (gzip) {
        skipZeros();
      }
      in.mark(8);
      byte[] head = in.readNBytes(8);
      in.reset();
      if (head.length == 0) {
        ended = true;
        return false;
      }
      if (gzip && startsWith(head, GZIP)) {
        member = GzipCompressorInputStream.builder().setInputStream(in).get();
        return true;
      }
      if (!gzip && startsWith(head, LZ4)) {
        member = new FramedLZ4CompressorInputStream(in, false);
        return true;
      }
      if (!gzip
          && head.length == 8
          && (head[0] & 0xf0) == 0x50
          && head[1] == 0x2a
          && head[2] == 0x4d
          && head[3] == 0x18) {
        skipFrame(head);
        continue;
      }
      throw new IOException(
          "bytes after the last "
              + (gzip ? "gzip member" : "lz4 frame")
              + " that start no other one");
    }
  }

  private void skipZeros() throws IOException {
    while (true) {
      in.mark(1);
      int b = in.read();
      if (b != 0) {
        in.reset();
        return;
      }
    }
  }

  /** Skips an lz4 skippable frame: its magic, a little-endian size, and that many bytes. */
  private void skipFrame(byte[] head) throws IOException {
    long size =
        (head[4] & 0xffL)
            | (head[5] & 0xffL) << 8
            | (head[6] & 0xffL) << 16
            | (head[7] & 0xffL) << 24;
    long skip = 8 + size;
    while (skip > 0) {
      long n = in.skip(skip);
      if (n <= 0) {
        if (in.read() < 0) {
          throw new IOException("the stream ends inside an lz4 skippable frame");
        }
        n = 1;
      }
      skip -= n;
    }
  }

  private static boolean startsWith(byte[] head, byte[] magic) {
    return head.length >= magic.length
        && Arrays.equals(head, 0, magic.length, magic, 0, magic.length);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
