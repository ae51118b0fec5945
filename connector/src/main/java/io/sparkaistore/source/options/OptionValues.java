package io.sparkaistore.source.options;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkaistore.client.AisPath;
import io.sparkaistore.source.options.AisOption.Scope;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.internal.SQLConf;
import scala.Tuple2;

/**
 * The raw options of one read or write: those given to the DataFrame, the table or the query, over
 * the session's {@code spark.datasource.ais.*} settings, with keys in any case as Spark takes them.
 * An unknown option fails here rather than being ignored; {@link #get} reads and checks a value.
 */
public final class OptionValues {
  private static final String SESSION_PREFIX = "spark.datasource.ais.";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> raw = new HashMap<>();
  private final Set<String> fromSession = new HashSet<>();

  private OptionValues(Map<String, String> session, Map<String, String> given) {
    session.forEach((k, v) -> raw.put(key(k), v));
    fromSession.addAll(raw.keySet());
    given.forEach(
        (k, v) -> {
          if (!v.equals(raw.put(key(k), v))) {
            fromSession.remove(key(k));
          }
        });
    Set<String> unknown = new TreeSet<>(raw.keySet());
    unknown.removeIf(k -> AisOptions.named(k) != null);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "Unknown option(s) "
              + unknown
              + " for format 'ais'; known options: "
              + AisOptions.all().stream().map(AisOption::name).collect(Collectors.joining(", ")));
    }
  }

  /** {@code given} over {@code session}, the session's settings without their prefix. */
  public static OptionValues of(Map<String, String> session, Map<String, String> given) {
    return new OptionValues(session, given);
  }

  /**
   * {@code given} over the active session's settings: Spark merges those into a DataFrame read's
   * options, but hands a V1 write and a catalog table only their own.
   */
  public static OptionValues withSession(Map<String, String> given) {
    Map<String, String> session = new HashMap<>();
    fromScala(SQLConf.get().getAllConfs())
        .forEach(
            (key, value) -> {
              if (key.startsWith(SESSION_PREFIX)) {
                session.put(key.substring(SESSION_PREFIX.length()), value);
              }
            });
    return of(session, given);
  }

  /**
   * A Scala map from Spark as a Java map. Scala's converters differ between 2.12 and 2.13 (one is
   * missing, the other deprecated); the map's iterator is the same in both.
   */
  public static Map<String, String> fromScala(scala.collection.Map<String, String> map) {
    Map<String, String> out = new HashMap<>();
    scala.collection.Iterator<Tuple2<String, String>> entries = map.iterator();
    while (entries.hasNext()) {
      Tuple2<String, String> entry = entries.next();
      out.put(entry._1(), entry._2());
    }
    return out;
  }

  /** Whether the option is given a value that is not blank. */
  public boolean has(AisOption<?> option) {
    return given(option) != null;
  }

  /** The option's value, or its default (null when it has none of its own). */
  public <T> T get(AisOption<T> option) {
    String value = given(option);
    return value == null ? option.defaultValue() : option.read(value);
  }

  /** The option's value, or {@code dflt} when it is not given. */
  public <T> T get(AisOption<T> option, T dflt) {
    return has(option) ? get(option) : dflt;
  }

  /** The option's value, which must not be blank when it is given at all. */
  String required(AisOption<String> option) {
    String value = given(option);
    if (value == null) {
      throw AisOption.invalid(option.name(), raw.get(key(option.name())), "a non-empty value");
    }
    return value;
  }

  /** Whether the option is there at all, even blank. */
  boolean present(AisOption<?> option) {
    return raw.containsKey(key(option.name()));
  }

  /**
   * Refuses options of {@code scope} given to this {@code operation} ("read", "write"). Session
   * settings are spared: they apply to reads and writes alike, and each side takes its own.
   */
  void refuse(Scope scope, String operation, String takenBy) {
    for (String k : new TreeSet<>(raw.keySet())) {
      AisOption<?> option = AisOptions.named(k);
      if (option.scope() == scope && !fromSession.contains(k)) {
        throw new IllegalArgumentException(
            "Option '"
                + option.name()
                + "' applies only to "
                + takenBy
                + "; a "
                + operation
                + " does not take it. Remove it from the "
                + operation
                + "'s options.");
      }
    }
  }

  /** The sources: {@code path}, then those of {@code paths}, without repeats. */
  List<AisPath> paths() {
    List<String> given = new ArrayList<>();
    String single = given(AisOptions.PATH);
    if (single != null) {
      given.add(single);
    }
    String many = given(AisOptions.PATHS);
    if (many != null) {
      try {
        given.addAll(JSON.readValue(many, new TypeReference<List<String>>() {}));
      } catch (IOException e) {
        throw AisOption.invalid(
            AisOptions.PATHS.name(),
            many,
            "a JSON array of paths, e.g. [\"ais://b/x/\",\"ais://b/y/\"]");
      }
    }
    if (given.isEmpty()) {
      throw new IllegalArgumentException(
          "No AIS path: give one with load(\"ais://bucket/prefix\") or option '"
              + AisOptions.PATH
              + "'");
    }
    return given.stream().map(AisPath::parse).distinct().collect(Collectors.toUnmodifiableList());
  }

  /** The value given, stripped, or null when it is not given or blank. */
  String given(AisOption<?> option) {
    String v = raw.get(key(option.name()));
    return v == null || v.isBlank() ? null : v.strip();
  }

  private static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
