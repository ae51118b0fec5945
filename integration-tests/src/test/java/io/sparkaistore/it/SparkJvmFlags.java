package io.sparkaistore.it;

/**
 * The flags a child JVM that runs Spark needs: the project's spark-jvm-flags file, which failsafe
 * names.
 */
final class SparkJvmFlags {
  private SparkJvmFlags() {}

  /** The java launcher's argument that reads the flags from that file: {@code @path}. */
  static String argument() {
    String file = System.getProperty("spark.jvm.flags.file");
    if (file == null) {
      throw new IllegalStateException(
          "the system property spark.jvm.flags.file is not set: run the integration"
              + " tests with Maven, whose failsafe sets it to the project's spark-jvm-flags");
    }
    return "@" + file;
  }
}
