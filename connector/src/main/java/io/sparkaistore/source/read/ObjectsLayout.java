package io.sparkaistore.source.read;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The {@code objects} layout: a row per object ({@link ObjectSchema}). Rows are the listing, so
 * filters on {@code bucket}, {@code name} and {@code size}, {@code LIMIT} and {@code COUNT(*)} are
 * answered by it; without {@code content} in the query no object is fetched.
 */
final class ObjectsLayout extends ReadLayout {
  private static final long serialVersionUID = 1L;

  /**
   * What an object's row is made of: the listing's entry and, when the query reads it, the content.
   */
  static final class ObjectRow {
    private final ListedObject object;
    private final byte[] content;

    ObjectRow(ListedObject object, byte[] content) {
      this.object = object;
      this.content = content;
    }

    ListedObject object() {
      return object;
    }

    byte[] content() {
      return content;
    }
  }

  private static final Map<String, Function<ObjectRow, Object>> COLUMNS =
      Map.of(
          ObjectSchema.BUCKET, r -> UTF8String.fromString(r.object().bucket.name()),
          ObjectSchema.NAME, r -> UTF8String.fromString(r.object().name()),
          ObjectSchema.SIZE, r -> r.object().size(),
          ObjectSchema.VERSION, r -> utf8(r.object().entry.version()),
          ObjectSchema.CHECKSUM, r -> utf8(r.object().entry.checksum()),
          ObjectSchema.ATIME,
              r -> r.object().entry.atime() == null ? null : micros(r.object().entry.atime()),
          ObjectSchema.CONTENT, ObjectRow::content);

  ObjectsLayout(ObjectFetcher.Settings fetch) {
    super(fetch);
  }

  @Override
  String name() {
    return "objects";
  }

  @Override
  boolean rowsAreListedObjects() {
    return true;
  }

  @Override
  boolean acceptsFilter(Filter filter) {
    return ObjectFilters.isSupported(filter);
  }

  /** Only the properties the query shows. */
  @Override
  String listProps(StructType readSchema) {
    List<String> fields = List.of(readSchema.fieldNames());
    StringBuilder props = new StringBuilder(super.listProps(readSchema));
    if (fields.contains(ObjectSchema.VERSION)) {
      props.append(",version");
    }
    if (fields.contains(ObjectSchema.CHECKSUM)) {
      props.append(",checksum");
    }
    if (fields.contains(ObjectSchema.ATIME)) {
      props.append(",atime");
    }
    return props.toString();
  }

  /** The objects' bytes when the query reads content, only their metadata otherwise. */
  @Override
  long outputBytes(List<ListedObject> objects, StructType readSchema) {
    return readSchema.getFieldIndex(ObjectSchema.CONTENT).isDefined()
        ? super.outputBytes(objects, readSchema)
        : (long) objects.size() * readSchema.defaultSize();
  }

  @Override
  PartitionReader<InternalRow> createReader(InputPartition partition, StructType readSchema) {
    return new ObjectPartitionReader(
        ((ObjectPartition) partition).objects(),
        new ObjectFetcher(fetch),
        rowConverter(readSchema),
        readSchema.getFieldIndex(ObjectSchema.CONTENT).isDefined());
  }

  static RowConverter<ObjectRow> rowConverter(StructType schema) {
    return RowConverter.of(
        schema,
        COLUMNS,
        name -> {
          throw new IllegalStateException("Unknown column " + name);
        });
  }

  private static UTF8String utf8(String s) {
    return s == null ? null : UTF8String.fromString(s);
  }

  private static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
  }
}
