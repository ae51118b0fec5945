package io.sparkaistore.wds;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Inflater;

/**
 * A strict, streaming reader of zip archives. Local entries are read in order; each member's CRC-32
 * and sizes are checked as its content is read or skipped, against the local header or the data
 * descriptor, and a header must follow its data. Then the central directory and end records are
 * read from the stream, and every entry checked against the local one. Members are stored or
 * deflated, unencrypted; ZIP64 sizes and offsets are read. A stored member with a data descriptor
 * (as Python's zipfile and Go's archive/zip write to a stream) ends at the first descriptor that
 * matches the data before it and is followed by a header. Names are UTF-8 when the entry's flag
 * says so, else CP437, as for Python's zipfile. A stream that ends before the end of the end
 * record's comment is an error, as is anything after it.
 */
final class ZipStream implements ArchiveStream {
  static final long LOCAL_HEADER = 0x04034b50L;
  static final long CENTRAL_HEADER = 0x02014b50L;
  static final long DESCRIPTOR = 0x08074b50L;
  static final int STORED = 0;
  static final int DEFLATED = 8;
  private static final int LOCAL_HEADER_SIZE = 30;

  /**
   * General-purpose flags: traditional encryption, strong encryption, encrypted central directory.
   */
  private static final int ENCRYPTED = 0x0001 | 0x0040 | 0x2000;

  private static final int HAS_DESCRIPTOR = 0x0008;

  final ZipInput in;
  final Inflater inflater = new Inflater(true); // raw deflate, as zip stores it
  final byte[] skipBuffer = new byte[64 * 1024];
  private final String shard;
  private final long objectSize; // bytes the stream can hold, or -1 when unknown
  private final List<Entry> entries = new ArrayList<>();
  private ZipContent current;
  private String lastMember;
  // Once corrupt, the stream stays so: nothing after an error is trusted.
  private WdsFormatException failure;
  private boolean ended;

  ZipStream(InputStream in, String shard, long objectSize) {
    this.in = new ZipInput(in);
    this.shard = shard;
    this.objectSize = objectSize;
  }

  /**
   * Always 0: a zip entry's file type (a link, say) is only in the central directory, which a
   * stream reaches after the member was returned; an entry there that is not a regular file fails
   * the shard.
   */
  @Override
  public long skippedEntries() {
    return 0;
  }

  @Override
  public ShardMember next() throws IOException {
    if (failure != null) {
      throw failure;
    }
    if (ended) {
      return null;
    }
    while (true) {
      if (current != null) {
        current.skipRest();
        current = null;
      }
      long offset = in.position();
      if (!in.ensure(4)) {
        throw corruptAt(
            offset, "the stream ends before the central directory: a truncated archive");
      }
      if (in.u32(0) != LOCAL_HEADER) {
        new ZipCentralDirectory(this, entries).read();
        ended = true;
        inflater.end();
        return null;
      }
      Entry entry = readLocalHeader(offset);
      entries.add(entry);
      current = ZipContent.of(this, entry);
      if (!entry.name.endsWith("/")) { // directories are read through, never returned
        lastMember = entry.name;
        return new ShardMember(
            entry.name, entry.descriptor ? -1 : entry.size, offset, sizeVerified(entry), current);
      }
    }
  }

  /**
   * Whether the member's content may be allocated at its claimed size: only when the object is
   * known to hold it.
   */
  private boolean sizeVerified(Entry entry) {
    return entry.method == STORED && !entry.descriptor && objectSize >= 0;
  }

  private Entry readLocalHeader(long offset) throws IOException {
    if (!in.ensure(LOCAL_HEADER_SIZE)) {
      throw corruptAt(offset, "the stream ends inside a local header");
    }
    int flags = in.u16(6);
    int method = in.u16(8);
    long crc = in.u32(14);
    long[] sizes = {in.u32(22), in.u32(18)}; // uncompressed, compressed: the ZIP64 field's order
    int nameLength = in.u16(26);
    int extraLength = in.u16(28);
    in.consume(LOCAL_HEADER_SIZE);
    byte[] rawName = readField(nameLength, offset, "name of the local header");
    byte[] extra = readField(extraLength, offset, "extra field of the local header");
    String name = name(rawName, flags, extra, offset);
    Entry entry =
        new Entry(
            name,
            offset,
            method,
            (flags & HAS_DESCRIPTOR) != 0,
            ZipFields.extraBlock(extra, ZipFields.ZIP64_EXTRA) >= 0);
    checkSupported(entry, flags);
    // With a descriptor, the header's CRC and sizes are zeros: the descriptor has them.
    if (!entry.descriptor) {
      if (!ZipFields.resolveZip64(extra, sizes)) {
        throw corruptMember(
            name,
            "the local header at offset "
                + offset
                + " has a size of 0xFFFFFFFF but no ZIP64 extra field");
      }
      setClaims(entry, crc, sizes[1], sizes[0]);
    }
    return entry;
  }

  private void checkSupported(Entry entry, int flags) throws WdsFormatException {
    if ((flags & ENCRYPTED) != 0) {
      throw corruptMember(
          entry.name,
          "the member at offset "
              + entry.offset
              + " is encrypted, which this reader cannot "
              + "read; rewrite the shard without encryption");
    }
    if (entry.method != STORED && entry.method != DEFLATED) {
      throw corruptMember(
          entry.name,
          "the member at offset "
              + entry.offset
              + " uses compression method "
              + entry.method
              + ", which this reader does not support; rewrite the shard with stored (0) or deflated (8) members");
    }
  }

  /**
   * Takes the local header's CRC and sizes, refusing data the object cannot hold before any is
   * read.
   */
  private void setClaims(Entry entry, long crc, long compressedSize, long size)
      throws WdsFormatException {
    if (entry.method == STORED && compressedSize != size) {
      throw corruptMember(
          entry.name,
          "the local header at offset "
              + entry.offset
              + " says "
              + compressedSize
              + " stored bytes hold "
              + size
              + " bytes");
    }
    if (compressedSize < 0 || size < 0) {
      throw corruptMember(
          entry.name,
          "the local header at offset " + entry.offset + " claims a size of 2^63 bytes or more");
    }
    long available = objectSize - in.position();
    if (objectSize >= 0 && compressedSize > available) {
      throw corruptMember(
          entry.name,
          "the local header at offset "
              + entry.offset
              + " claims "
              + compressedSize
              + " bytes of data, but the object holds only "
              + Math.max(available, 0)
              + " more: a truncated or corrupt archive");
    }
    entry.crc = crc;
    entry.compressedSize = compressedSize;
    entry.size = size;
  }

  /** A header's variable-length field: {@code what} is its name, "name of the local header" say. */
  byte[] readField(int length, long headerOffset, String what) throws IOException {
    byte[] b = in.readBytes(length);
    if (b == null) {
      throw corruptAt(headerOffset, "the stream ends inside the " + what + ": a truncated archive");
    }
    return b;
  }

  String name(byte[] raw, int flags, byte[] extra, long headerOffset) throws WdsFormatException {
    try {
      return ZipFields.name(raw, flags, extra);
    } catch (CharacterCodingException e) {
      throw corruptAt(headerOffset, "a name that is not valid UTF-8, though the header says it is");
    }
  }

  /** Fails a read of a member's content once the stream has moved on or is corrupt. */
  void checkReadable(ZipContent content) throws IOException {
    if (failure != null) {
      throw failure;
    }
    if (current != content) {
      throw new IllegalStateException(
          "member "
              + content.entry.name
              + " was passed over: read a member before asking for the next one");
    }
  }

  /** An error at {@code offset} outside any member's own data: names the last member returned. */
  WdsFormatException corruptAt(long offset, String problem) {
    return corruptMember(
        lastMember,
        "at offset "
            + offset
            + ", "
            + (lastMember == null ? "before any member" : "after this member")
            + ": "
            + problem);
  }

  WdsFormatException corruptMember(String member, String problem) {
    failure = WdsFormatException.corruptShard(shard, member, problem, null);
    return failure;
  }

  /** A local entry as read: what its header claims, then what its data turned out to be. */
  static final class Entry {
    final String name;
    final long offset; // of the local header
    final int method;
    final boolean descriptor; // CRC and sizes follow the data
    final boolean zip64; // a ZIP64 extra field: a descriptor's sizes are 64-bit
    long crc;
    long compressedSize;
    long size;

    Entry(String name, long offset, int method, boolean descriptor, boolean zip64) {
      this.name = name;
      this.offset = offset;
      this.method = method;
      this.descriptor = descriptor;
      this.zip64 = zip64;
    }
  }
}
