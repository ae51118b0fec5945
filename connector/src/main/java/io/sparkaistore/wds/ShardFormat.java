package io.sparkaistore.wds;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.util.Arrays;

/** The archive formats a shard may be in, recognised by their first bytes rather than by name. */
public enum ShardFormat {
  TAR,
  TAR_GZ,
  TAR_LZ4,
  ZIP;

  /** Bytes needed to tell the formats apart: a tar header block. */
  static final int SNIFF_BYTES = 512;

  private static final byte[] GZIP = {0x1f, (byte) 0x8b};
  private static final byte[] LZ4_FRAME = {0x04, 0x22, 0x4d, 0x18};
  private static final byte[] ZIP_LOCAL = {'P', 'K', 3, 4};
  private static final byte[] ZIP_EMPTY = {'P', 'K', 5, 6};

  /** The format whose signature {@code head} starts with, or null when it is none of them. */
  public static ShardFormat detect(byte[] head, int length) {
    // Any valid header, or an end-of-archive block: an empty tar is what a writer with no samples
    // makes. First, since a tar's first member name may start with another format's signature.
    if (length >= SNIFF_BYTES
        && (TarStream.checksumMatches(head) || TarStream.isZero(head, SNIFF_BYTES))) {
      return TAR;
    }
    if (startsWith(head, length, GZIP)) {
      return TAR_GZ;
    }
    if (startsWith(head, length, LZ4_FRAME)) {
      return TAR_LZ4;
    }
    if (startsWith(head, length, ZIP_LOCAL) || startsWith(head, length, ZIP_EMPTY)) {
      return ZIP;
    }

    return null;
  }

  /** Peeks at the start of {@code in} (which must support mark/reset) without consuming it. */
  static ShardFormat sniff(BufferedInputStream in) throws IOException {
    in.mark(SNIFF_BYTES);
    byte[] head = in.readNBytes(SNIFF_BYTES);
    in.reset();
    return detect(head, head.length);
  }

  private static boolean startsWith(byte[] head, int length, byte[] signature) {
    return length >= signature.length
        && Arrays.equals(head, 0, signature.length, signature, 0, signature.length);
  }
}
