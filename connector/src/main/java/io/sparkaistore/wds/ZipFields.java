package io.sparkaistore.wds;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/** The fields of zip headers: little-endian numbers, extra fields, names. */
final class ZipFields {
  /** A 32-bit size or offset of this value is in the ZIP64 extra field instead. */
  static final long ZIP64_MAGIC = 0xFFFFFFFFL;

  static final int ZIP64_EXTRA = 0x0001;

  /**
   * Info-ZIP's Unicode Path: a UTF-8 name for the raw one, valid while the raw name's CRC-32
   * matches.
   */
  private static final int UNICODE_PATH_EXTRA = 0x7075;

  /** General-purpose flag bit 11: the name is UTF-8. */
  private static final int UTF8_FLAG = 0x0800;

  /** Code page 437, bytes 0x80 to 0xFF, as Python's codec maps them; the lower half is ASCII. */
  private static final String CP437_HIGH =
      "\u00c7\u00fc\u00e9\u00e2\u00e4\u00e0\u00e5\u00e7\u00ea\u00eb\u00e8\u00ef\u00ee\u00ec\u00c4\u00c5"
          + "\u00c9\u00e6\u00c6\u00f4\u00f6\u00f2\u00fb\u00f9\u00ff\u00d6\u00dc\u00a2\u00a3\u00a5\u20a7\u0192"
          + "\u00e1\u00ed\u00f3\u00fa\u00f1\u00d1\u00aa\u00ba\u00bf\u2310\u00ac\u00bd\u00bc\u00a1\u00ab\u00bb"
          + "\u2591\u2592\u2593\u2502\u2524\u2561\u2562\u2556\u2555\u2563\u2551\u2557\u255d\u255c\u255b\u2510"
          + "\u2514\u2534\u252c\u251c\u2500\u253c\u255e\u255f\u255a\u2554\u2569\u2566\u2560\u2550\u256c\u2567"
          + "\u2568\u2564\u2565\u2559\u2558\u2552\u2553\u256b\u256a\u2518\u250c\u2588\u2584\u258c\u2590\u2580"
          + "\u03b1\u00df\u0393\u03c0\u03a3\u03c3\u00b5\u03c4\u03a6\u0398\u03a9\u03b4\u221e\u03c6\u03b5\u2229"
          + "\u2261\u00b1\u2265\u2264\u2320\u2321\u00f7\u2248\u00b0\u2219\u00b7\u221a\u207f\u00b2\u25a0\u00a0";

  private ZipFields() {}

  static int u16(byte[] b, int i) {
    return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
  }

  static long u32(byte[] b, int i) {
    return u16(b, i) | (long) u16(b, i + 2) << 16;
  }

  /** Negative for values of 2^63 and more, which then match no real size or offset. */
  static long u64(byte[] b, int i) {
    return u32(b, i) | u32(b, i + 4) << 32;
  }

  /**
   * Where the data of the extra block {@code id} starts, or -1. The walk stops at a block that
   * overruns the field: some writers (zipalign) pad the field with bytes that are no block.
   */
  static int extraBlock(byte[] extra, int id) {
    for (int i = 0; i + 4 <= extra.length; ) {
      int size = u16(extra, i + 2);
      if (i + 4 + size > extra.length) {
        return -1;
      }
      if (u16(extra, i) == id) {
        return i + 4;
      }
      i += 4 + size;
    }
    return -1;
  }

  private static int blockSize(byte[] extra, int data) {
    return u16(extra, data - 2);
  }

  /**
   * Replaces each value that is {@link #ZIP64_MAGIC}, in order, with the next 64-bit number of the
   * ZIP64 extra field (which holds only those, in the order uncompressed size, compressed size,
   * offset). False when the field is missing or too short.
   */
  static boolean resolveZip64(byte[] extra, long[] values) {
    int data = extraBlock(extra, ZIP64_EXTRA);
    int end = data + (data < 0 ? 0 : blockSize(extra, data));
    for (int v = 0, i = data; v < values.length; v++) {
      if (values[v] == ZIP64_MAGIC) {
        if (data < 0 || i + 8 > end) {
          return false;
        }
        values[v] = u64(extra, i);
        i += 8;
      }
    }
    return true;
  }

  /**
   * The entry's name: the Unicode Path extra field's when it is for this raw name, else the raw
   * name as UTF-8 when flag bit 11 is set, else as CP437 (as Python's zipfile and the zip
   * specification read it). Malformed UTF-8 is an error, never replaced.
   */
  static String name(byte[] raw, int flags, byte[] extra) throws CharacterCodingException {
    int data = extraBlock(extra, UNICODE_PATH_EXTRA);
    if (data >= 0
        && blockSize(extra, data) >= 5
        && extra[data] == 1
        && u32(extra, data + 1) == crc(raw)) {
      return utf8(extra, data + 5, blockSize(extra, data) - 5);
    }
    return (flags & UTF8_FLAG) != 0 ? utf8(raw, 0, raw.length) : cp437(raw);
  }

  private static long crc(byte[] b) {
    CRC32 crc = new CRC32();
    crc.update(b);
    return crc.getValue();
  }

  private static String utf8(byte[] b, int off, int len) throws CharacterCodingException {
    return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b, off, len)).toString();
  }

  private static String cp437(byte[] raw) {
    char[] chars = new char[raw.length];
    for (int i = 0; i < raw.length; i++) {
      int c = raw[i] & 0xff;
      chars[i] = c < 0x80 ? (char) c : CP437_HIGH.charAt(c - 0x80);
    }
    return new String(chars);
  }
}
