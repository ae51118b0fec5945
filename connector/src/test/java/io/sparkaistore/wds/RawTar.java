package io.sparkaistore.wds;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.commons.codec.digest.XXHash32;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Archives built block by block, for the shapes no archiver writes on request: forged headers, odd
 * lz4 frames.
 */
final class RawTar {
  static final byte[] END = new byte[1024];

  private RawTar() {}

  /** A ustar header with a valid checksum. */
  static byte[] header(byte[] name, char type, long size) {
    byte[] h = new byte[512];
    System.arraycopy(name, 0, h, 0, Math.min(100, name.length));
    put(h, 100, "0000644\0");
    put(h, 108, "0000000\0");
    put(h, 116, "0000000\0");
    put(h, 124, String.format("%011o\0", size));
    put(h, 136, "00000000000\0");
    h[156] = (byte) type;
    put(h, 257, "ustar\0");
    put(h, 263, "00");
    return withChecksum(h);
  }

  static byte[] header(String name, char type, long size) {
    return header(name.getBytes(StandardCharsets.UTF_8), type, size);
  }

  static byte[] withChecksum(byte[] h) {
    Arrays.fill(h, 148, 156, (byte) ' ');
    long sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += h[i] & 0xff;
    }
    put(h, 148, String.format("%06o\0 ", sum));
    return h;
  }

  static byte[] padded(byte[] data) {
    return Arrays.copyOf(data, (data.length + 511) / 512 * 512);
  }

  static byte[] file(String name, String content) {
    byte[] c = content.getBytes(StandardCharsets.UTF_8);
    return concat(header(name, '0', c.length), padded(c));
  }

  /** A pax extended header holding the given key-value pairs. */
  static byte[] pax(String... keysAndValues) {
    StringBuilder records = new StringBuilder();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      String rest = " " + keysAndValues[i] + "=" + keysAndValues[i + 1] + "\n";
      int length = rest.getBytes(StandardCharsets.UTF_8).length;
      int total = length + String.valueOf(length).length();
      total += String.valueOf(total).length() - String.valueOf(length).length();
      records.append(total).append(rest);
    }
    byte[] data = records.toString().getBytes(StandardCharsets.UTF_8);
    return concat(header("PaxHeaders/x", 'x', data.length), padded(data));
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  /**
   * An lz4 frame of uncompressed blocks; a null block is an empty compressed block (one zero
   * token), which the lz4 format allows (as a keep-alive, say).
   */
  static byte[] lz4Frame(boolean contentChecksum, byte[]... blocks) {
    int flags = 0x60 | (contentChecksum ? 0x04 : 0);
    XXHash32 descriptor = new XXHash32();
    descriptor.update(flags);
    descriptor.update(0x40);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        new byte[] {
          0x04, 0x22, 0x4d, 0x18, (byte) flags, 0x40, (byte) (descriptor.getValue() >> 8)
        });
    XXHash32 content = new XXHash32();
    for (byte[] b : blocks) {
      if (b == null) {
        out.writeBytes(littleEndian(1));
        out.write(0);
        continue;
      }
      out.writeBytes(littleEndian(b.length | 0x80000000));
      out.writeBytes(b);
      content.update(b, 0, b.length);
    }
    out.writeBytes(littleEndian(0));
    if (contentChecksum) {
      out.writeBytes(littleEndian((int) content.getValue()));
    }
    return out.toByteArray();
  }

  private static byte[] littleEndian(int v) {
    return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >>> 24)};
  }

  private static void put(byte[] h, int offset, String s) {
    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(b, 0, h, offset, b.length);
  }
}
