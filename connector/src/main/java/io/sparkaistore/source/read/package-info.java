/**
 * The read side of the DataSource, one class per role.
 *
 * <ul>
 *   <li>Pushdown and planning, on the driver: {@link io.sparkaistore.source.read.AisScanBuilder}
 *       takes what Spark pushes, {@code AisScan} lists the sources once ({@code SourceListing},
 *       {@code ObjectFilters}) and plans partitions ({@code PartitionPlanner}), {@code
 *       AisCountScan} answers {@code COUNT(*)} from the listing.
 *   <li>The layout, the row model: {@code ReadLayout} with one subclass per value of the {@code
 *       layout} option ({@code ObjectsLayout}, {@code WebDatasetLayout}, {@code MembersLayout},
 *       {@code ZippedLayout}) decides which filters, limit and count the listing answers, how the
 *       listing becomes partitions and which reader a partition gets. {@link
 *       io.sparkaistore.source.read.LayoutSchema} gives each layout's columns (from {@code
 *       ObjectSchema} and {@code ShardSchemas}: fixed, inferred from the shards, or a checked user
 *       schema).
 *   <li>Reading, on executors: {@code AisReaderFactory} asks the layout for a reader; {@code
 *       ObjectPartitionReader}, {@code ShardPartitionReader} and {@code ZippedPartitionReader} make
 *       rows with a {@code RowConverter} built once per schema. {@code ObjectFetcher} is the one
 *       place that chooses how an object is fetched (ETL, parallel ranges, GetBatch, one GET);
 *       {@code ShardCursor} opens and skips shards, as {@code BadShardRule} says.
 * </ul>
 */
package io.sparkaistore.source.read;
