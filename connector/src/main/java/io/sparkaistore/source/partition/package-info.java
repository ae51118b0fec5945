/**
 * Hive-style partition directories ({@code split=train/}) shared by writes and reads: the escaping
 * of names and values, the text of a typed value, the types discovered from directory names, and
 * the partition filters evaluated on the driver.
 */
package io.sparkaistore.source.partition;
