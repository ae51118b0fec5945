package io.sparkaistore.wds;

import java.io.IOException;
import java.util.List;

/**
 * The end of a zip archive, read from the stream after the last local entry: the central directory,
 * each of whose headers must match the local entry read in its place; the ZIP64 end record and
 * locator, when present; the end record, whose counts, size and offset must match what was read;
 * its comment, and nothing after it.
 */
final class ZipCentralDirectory {
  private static final long END = 0x06054b50L;
  private static final long ZIP64_END = 0x06064b50L;
  private static final long ZIP64_LOCATOR = 0x07064b50L;
  private static final int CENTRAL_HEADER_SIZE = 46;
  private static final int END_SIZE = 22;
  private static final int ZIP64_END_SIZE = 56;
  private static final int ZIP64_LOCATOR_SIZE = 20;
  private static final int UNIX = 3;
  private static final int FILE_TYPE = 0170000;
  private static final int REGULAR_FILE = 0100000;
  private static final int DIRECTORY = 0040000;
  private static final int SYMLINK = 0120000;
  private static final long NO_PLACEHOLDER = -1;

  private final ZipStream zip;
  private final ZipInput in;
  private final List<ZipStream.Entry> entries;
  private long start; // of the central directory
  private long size; // of the central directory
  private boolean zip64;

  ZipCentralDirectory(ZipStream zip, List<ZipStream.Entry> entries) {
    this.zip = zip;
    this.in = zip.in;
    this.entries = entries;
  }

  /**
   * Reads and checks everything from the read position (the first header that is not a local one)
   * to the stream's end.
   */
  void read() throws IOException {
    start = in.position();
    long signature = signature();
    int count = 0;
    for (; signature == ZipStream.CENTRAL_HEADER; signature = signature()) {
      readHeader(count++);
    }
    if (count < entries.size()) {
      throw zip.corruptMember(
          entries.get(count).name,
          "the central directory at offset "
              + start
              + " lists only "
              + count
              + " of the "
              + entries.size()
              + " local entries before it; this one, at offset "
              + entries.get(count).offset
              + ", is the first missing");
    }
    size = in.position() - start;
    if (signature == ZIP64_END) {
      readZip64End();
      signature = signature();
    }
    if (signature != END) {
      throw zip.corruptAt(
          in.position(),
          String.format(
              "signature %08x where the central directory or its end record " + "belongs",
              signature));
    }
    readEnd();
  }

  /** The signature at the read position; a stream that ends first is truncated. */
  private long signature() throws IOException {
    if (!in.ensure(4)) {
      throw truncated(in.position(), "before the end of central directory record");
    }
    return in.u32(0);
  }

  private void readHeader(int index) throws IOException {
    Header header = parseHeader();
    if (index >= entries.size()) {
      throw zip.corruptMember(
          header.name,
          "the central directory lists more entries than the "
              + entries.size()
              + " local ones before it: this one, at offset "
              + header.at
              + ", has no local entry");
    }
    ZipStream.Entry entry = entries.get(index);
    if (!header.name.equals(entry.name)) {
      throw mismatch(entry, header, "name '" + header.name + "'", "'" + entry.name + "'");
    }
    compare(entry, header, "compression method", header.method, entry.method);
    compare(entry, header, "local header offset", header.offset, entry.offset);
    compare(entry, header, "compressed size", header.compressedSize, entry.compressedSize);
    compare(entry, header, "size", header.size, entry.size);
    if (header.crc != entry.crc) {
      throw mismatch(entry, header, "CRC-32 " + hex(header.crc), hex(entry.crc));
    }
    checkRegularFile(entry, header);
  }

  private Header parseHeader() throws IOException {
    long at = in.position();
    if (!in.ensure(CENTRAL_HEADER_SIZE)) {
      throw truncated(at, "inside a central directory header");
    }
    int madeBy = in.u16(4);
    int flags = in.u16(8);
    int method = in.u16(10);
    long crc = in.u32(16);
    long[] values = {
      in.u32(24), in.u32(20), in.u32(42)
    }; // uncompressed size, compressed size, local header offset
    int nameLength = in.u16(28);
    int extraLength = in.u16(30);
    int commentLength = in.u16(32);
    int mode =
        (int)
            (in.u32(38)
                >>> 16); // the external attributes' high half: a Unix mode, when made on Unix
    in.consume(CENTRAL_HEADER_SIZE);
    byte[] rawName = zip.readField(nameLength, at, "name of a central directory header");
    byte[] extra = zip.readField(extraLength, at, "extra field of a central directory header");
    String name = zip.name(rawName, flags, extra, at);
    if (in.skip(commentLength) < commentLength) {
      throw truncated(at, "inside the comment of a central directory header");
    }
    if (!ZipFields.resolveZip64(extra, values)) {
      throw zip.corruptMember(
          name,
          "the central directory header at offset "
              + at
              + " has a size or offset of 0xFFFFFFFF but no ZIP64 extra field for it");
    }
    return new Header(
        at, name, method, crc, values[1], values[0], values[2], madeBy >>> 8 == UNIX ? mode : 0);
  }

  private void compare(ZipStream.Entry entry, Header header, String what, long central, long local)
      throws WdsFormatException {
    if (central != local) {
      throw mismatch(entry, header, what + " " + central, String.valueOf(local));
    }
  }

  private WdsFormatException mismatch(
      ZipStream.Entry entry, Header header, String central, String local) {
    return zip.corruptMember(
        entry.name,
        "the central directory header at offset "
            + header.at
            + " says "
            + central
            + ", the local entry at offset "
            + entry.offset
            + " says "
            + local);
  }

  /**
   * Fails on a member the central directory calls a link, device, FIFO or socket: the stream
   * returned it as a file before it could know, so the shard cannot be read as it was meant.
   */
  private void checkRegularFile(ZipStream.Entry entry, Header header) throws WdsFormatException {
    int type = header.unixMode & FILE_TYPE;
    if (type != 0 && type != REGULAR_FILE && type != DIRECTORY && !entry.name.endsWith("/")) {
      throw zip.corruptMember(
          entry.name,
          "the central directory header at offset "
              + header.at
              + " gives Unix mode "
              + Integer.toOctalString(header.unixMode)
              + ": a "
              + (type == SYMLINK ? "symbolic link" : "special file")
              + ", not a regular file, which a streaming reader cannot tell before it has returned the member; "
              + "rewrite the shard without links or special files (zip -y stores links as links)");
    }
  }

  /**
   * The ZIP64 end record: its counts, size and offset are the true ones; the locator after it must
   * point at it.
   */
  private void readZip64End() throws IOException {
    long at = in.position();
    if (!in.ensure(ZIP64_END_SIZE)) {
      throw truncated(at, "inside the ZIP64 end of central directory record");
    }
    long recordSize = in.u64(4);
    checkEnd(at, "ZIP64 end record", "disk number", in.u32(16), 0, NO_PLACEHOLDER);
    checkEnd(at, "ZIP64 end record", "central directory's disk", in.u32(20), 0, NO_PLACEHOLDER);
    checkEnd(
        at, "ZIP64 end record", "entries on this disk", in.u64(24), entries.size(), NO_PLACEHOLDER);
    checkEnd(at, "ZIP64 end record", "entries", in.u64(32), entries.size(), NO_PLACEHOLDER);
    checkEnd(at, "ZIP64 end record", "central directory size", in.u64(40), size, NO_PLACEHOLDER);
    checkEnd(at, "ZIP64 end record", "central directory offset", in.u64(48), start, NO_PLACEHOLDER);
    in.consume(ZIP64_END_SIZE);
    // The size counts from after its own field.
    long extensible = recordSize - (ZIP64_END_SIZE - 12);
    if (extensible < 0 || in.skip(extensible) < extensible) {
      throw zip.corruptAt(
          at,
          "the ZIP64 end of central directory record's size "
              + recordSize
              + " is too small or runs past the end of the stream");
    }
    readZip64Locator(at);
    zip64 = true;
  }

  private void readZip64Locator(long zip64EndOffset) throws IOException {
    long at = in.position();
    if (signature() != ZIP64_LOCATOR) {
      throw zip.corruptAt(
          at, "no ZIP64 end of central directory locator after the ZIP64 end record");
    }
    if (!in.ensure(ZIP64_LOCATOR_SIZE)) {
      throw truncated(at, "inside the ZIP64 end of central directory locator");
    }
    checkEnd(at, "ZIP64 locator", "ZIP64 end record's disk", in.u32(4), 0, NO_PLACEHOLDER);
    checkEnd(
        at, "ZIP64 locator", "ZIP64 end record offset", in.u64(8), zip64EndOffset, NO_PLACEHOLDER);
    if (in.u32(16) > 1) {
      throw zip.corruptAt(
          at,
          "the ZIP64 locator says the archive spans "
              + in.u32(16)
              + " disks; shards are one object");
    }
    in.consume(ZIP64_LOCATOR_SIZE);
  }

  /** The end of central directory record, its comment, then the end of the stream. */
  private void readEnd() throws IOException {
    long at = in.position();
    if (!in.ensure(END_SIZE)) {
      throw truncated(at, "inside the end of central directory record");
    }
    checkEnd(at, "end record", "disk number", in.u16(4), 0, 0xFFFF);
    checkEnd(at, "end record", "central directory's disk", in.u16(6), 0, 0xFFFF);
    checkEnd(at, "end record", "entries on this disk", in.u16(8), entries.size(), 0xFFFF);
    checkEnd(at, "end record", "entries", in.u16(10), entries.size(), 0xFFFF);
    checkEnd(at, "end record", "central directory size", in.u32(12), size, ZipFields.ZIP64_MAGIC);
    checkEnd(
        at, "end record", "central directory offset", in.u32(16), start, ZipFields.ZIP64_MAGIC);
    int commentLength = in.u16(20);
    in.consume(END_SIZE);
    if (in.skip(commentLength) < commentLength) {
      throw truncated(at, "inside the comment of the end of central directory record");
    }
    if (in.ensure(1)) {
      throw zip.corruptAt(
          in.position(),
          "data after the end of the archive (the end of central directory record "
              + "at offset "
              + at
              + " and its "
              + commentLength
              + "-byte comment): a corrupt archive or two concatenated");
    }
  }

  /**
   * A field must hold the true value, or, after a ZIP64 end record (which gave it), may hold its
   * all-ones placeholder.
   */
  private void checkEnd(
      long at, String record, String what, long claimed, long actual, long placeholder)
      throws WdsFormatException {
    if (claimed != actual && !(zip64 && claimed == placeholder)) {
      throw zip.corruptAt(
          at,
          "the " + record + " says " + what + " " + claimed + ", but the archive has " + actual);
    }
  }

  private WdsFormatException truncated(long at, String where) {
    return zip.corruptAt(at, "the stream ends " + where + ": a truncated archive");
  }

  private static String hex(long crc) {
    return String.format("%08x", crc);
  }

  /**
   * What a central directory header at offset {@code at} says of its entry; {@code unixMode} is 0
   * unless made on Unix.
   */
  private static final class Header {
    final long at;
    final String name;
    final int method;
    final long crc;
    final long compressedSize;
    final long size;
    final long offset;
    final int unixMode;

    Header(
        long at,
        String name,
        int method,
        long crc,
        long compressedSize,
        long size,
        long offset,
        int unixMode) {
      this.at = at;
      this.name = name;
      this.method = method;
      this.crc = crc;
      this.compressedSize = compressedSize;
      this.size = size;
      this.offset = offset;
      this.unixMode = unixMode;
    }
  }
}
