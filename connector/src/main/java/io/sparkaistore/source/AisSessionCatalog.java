package io.sparkaistore.source;

import io.sparkaistore.source.options.OptionValues;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.catalyst.analysis.NoSuchNamespaceException;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.catalyst.analysis.TableAlreadyExistsException;
import org.apache.spark.sql.catalyst.catalog.CatalogTable;
import org.apache.spark.sql.catalyst.catalog.CatalogUtils;
import org.apache.spark.sql.connector.catalog.Column;
import org.apache.spark.sql.connector.catalog.DelegatingCatalogExtension;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableCatalog;
import org.apache.spark.sql.connector.catalog.V1Table;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The session catalog that makes {@code CREATE TABLE ... USING ais} work on Spark 3.5: set {@code
 * spark.sql.catalog.spark_catalog=io.sparkaistore.source.AisSessionCatalog}. Spark 3.5's session
 * catalog hands every catalog table to its V1 path, which does not know DataSource V2 sources ("ais
 * is not a valid Spark SQL Data Source"); this one gives {@code ais} tables to {@link
 * AisDataSource}, as Spark 4's own does, and leaves every other table to Spark's. Spark 4 needs no
 * setting, and works the same with it.
 */
public final class AisSessionCatalog extends DelegatingCatalogExtension {
  /** An {@code ais} table as the connector's table; any other as Spark's catalog gives it. */
  @Override
  public Table loadTable(Identifier ident) throws NoSuchTableException {
    Table table = super.loadTable(ident);
    if (!(table instanceof V1Table)) {
      return table;
    }
    CatalogTable catalogTable = ((V1Table) table).v1Table();
    if (!catalogTable.provider().isDefined() || !isAis(catalogTable.provider().get())) {
      return table;
    }
    return source().getTable(catalogTable.schema(), new Transform[0], options(catalogTable));
  }

  /**
   * Stores an {@code ais} table with its columns, inferred from AIS when the statement names none
   * (Spark 3.5's catalog would store none), and returns the connector's table, which a {@code
   * CREATE TABLE ... AS SELECT} then writes.
   */
  @Override
  public Table createTable(
      Identifier ident, Column[] columns, Transform[] partitions, Map<String, String> properties)
      throws TableAlreadyExistsException, NoSuchNamespaceException {
    String provider = properties.get(TableCatalog.PROP_PROVIDER);
    if (provider == null || !isAis(provider)) {
      return super.createTable(ident, columns, partitions, properties);
    }
    Column[] stored = columns.length > 0 ? columns : inferredColumns(properties);
    super.createTable(ident, stored, partitions, properties);
    try {
      return loadTable(ident);
    } catch (NoSuchTableException e) {
      throw new IllegalStateException("table " + ident + " vanished as it was created", e);
    }
  }

  /** The columns AIS's listing gives, with the statement's location as {@code path}. */
  private Column[] inferredColumns(Map<String, String> properties) {
    Map<String, String> options = new HashMap<>(properties);
    String location = properties.get(TableCatalog.PROP_LOCATION);
    if (location != null) {
      options.put("path", location);
    }
    StructType schema = source().inferSchema(new CaseInsensitiveStringMap(options));
    Column[] columns = new Column[schema.fields().length];
    for (int i = 0; i < columns.length; i++) {
      StructField field = schema.fields()[i];
      columns[i] = Column.create(field.name(), field.dataType(), field.nullable());
    }
    return columns;
  }

  /**
   * The table's properties with its location as {@code path}, as Spark 4 gives them to a source.
   */
  private static Map<String, String> options(CatalogTable table) {
    Map<String, String> options = new HashMap<>(OptionValues.fromScala(table.properties()));
    if (table.storage().locationUri().isDefined()) {
      options.put("path", CatalogUtils.URIToString(table.storage().locationUri().get()));
    }
    return options;
  }

  /**
   * A source of its own for each table, as Spark's catalog makes one: a source keeps the options it
   * last parsed for the table it next gives, and this catalog serves every thread of its session.
   */
  private static AisDataSource source() {
    return new AisDataSource();
  }

  private static boolean isAis(String provider) {
    return provider.toLowerCase(Locale.ROOT).equals("ais")
        || provider.equals(AisDataSource.class.getName());
  }
}
