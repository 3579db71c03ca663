package io.hookline.bench;

import io.hookline.schemas.DurationText;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code name=value} arguments of a benchmark command, each falling back to its
 * {@code BENCH_*} environment variable, then to its default: one reading for every benchmark, so
 * that {@code ./bench <name> records=1_000_000} and {@code BENCH_RECORDS=1000000 ./bench <name>} mean
 * the same everywhere.
 */
public final class BenchArguments {

  private final Map<String, String> given;
  private final Map<String, String> env;

  private BenchArguments(Map<String, String> given, Map<String, String> env) {
    this.given = given;
    this.env = env;
  }

  /**
   * @param names the argument names the benchmark knows, listed in the error for a malformed argument
   * @throws IllegalArgumentException when an argument is not {@code name=value}
   */
  public static BenchArguments parse(String[] args, Map<String, String> env, String names) {
    Map<String, String> given = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("Arguments are name=value (" + names + "); got " + arg);
      }
      given.put(arg.substring(0, eq).replaceFirst("^--", ""), arg.substring(eq + 1));
    }
    return new BenchArguments(given, env);
  }

  /** The argument, else the environment variable, else the fallback; trimmed. */
  public String text(String arg, String variable, String fallback) {
    String v = given.get(arg);
    if (v == null || v.isBlank()) {
      v = env.get(variable);
    }
    return v == null || v.isBlank() ? fallback : v.trim();
  }

  /** A count, written as {@code 100000}, {@code 100_000}, {@code 100,000} or {@code 100k}. */
  public int count(String arg, String variable, String fallback) {
    return count(text(arg, variable, fallback));
  }

  public Duration duration(String arg, String variable, String fallback) {
    return DurationText.parse(text(arg, variable, fallback));
  }

  static int count(String text) {
    return Integer.parseInt(text.replace("_", "").replace(",", "").toLowerCase(Locale.ROOT).replace("k", "000"));
  }
}
