package io.hookline.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JDK the services of a local run start on: {@value #HOME_VARIABLE} when set (taken as given,
 * any version from 17; a folder without {@code bin/java} is an error), else the launcher's own. On a
 * JDK {@value #AOT_FEATURE} or later each service starts from an ahead-of-time cache ({@link
 * AotCache}: its classes loaded and linked, and method profiles, from an earlier run), on an older
 * one from a class-data archive ({@link ClassDataArchive}). A newer JDK installed beside the
 * launcher's is not picked by itself: measured on a quiet 2-core machine, services on JDK 25 with
 * their AOT caches got ready no sooner and with no less CPU than on JDK 17 with their archives, and
 * the first two starts of each build, which record and then make the caches, were slower. A JDK's
 * version comes from its {@code release} file, so finding one starts no JVM.
 */
record ServiceJdk(Path home, int feature, String note) {

  /** Names the services' JDK (its home folder); {@link LocalRun} sets it to what it found. */
  static final String HOME_VARIABLE = "HOOKLINE_LOCAL_JAVA_HOME";
  /** The first JDK with AOT caches from a training run and their command-line options (JEP 483, 514, 515). */
  static final int AOT_FEATURE = 25;

  private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(?:1\\.)?(\\d+)");

  /** Whether this JDK's services use an AOT cache rather than a class-data archive. */
  boolean aot() {
    return feature >= AOT_FEATURE;
  }

  /** Names this JDK in {@code env} ({@value #HOME_VARIABLE}), for the services started with it; returns itself. */
  ServiceJdk into(Map<String, String> env) {
    env.put(HOME_VARIABLE, home.toString());
    return this;
  }

  /** Its {@code java} executable. */
  String java() {
    return home.resolve("bin").resolve("java").toString();
  }

  /** The JDK a local run's services use, found on this machine (see the class comment). */
  static ServiceJdk find(Map<String, String> env) {
    return find(env, Path.of(System.getProperty("java.home")), Runtime.version().feature());
  }

  /**
   * As {@link #find(Map)}, with the launcher's own JDK ({@code current}, of version {@code
   * currentFeature}) given.
   *
   * @throws IllegalArgumentException when {@value #HOME_VARIABLE} names no JDK
   */
  static ServiceJdk find(Map<String, String> env, Path current, int currentFeature) {
    String configured = env.get(HOME_VARIABLE);
    if (configured != null && !configured.isBlank()) {
      Path home = Path.of(configured.trim());
      if (!Files.isExecutable(home.resolve("bin").resolve("java"))) {
        throw new IllegalArgumentException(HOME_VARIABLE + "=" + configured + " is not a JDK (no bin/java in it)");
      }
      int feature = featureOf(home).orElse(home.equals(current) ? currentFeature : 0);
      return new ServiceJdk(home, feature, "the services run on the JDK in " + HOME_VARIABLE + " (" + home + ")");
    }
    return new ServiceJdk(current, currentFeature, "the services run on JDK " + currentFeature
        + (currentFeature >= AOT_FEATURE ? " with AOT caches" : " with class-data archives"));
  }

  /** The services' JDK that {@code env} names ({@value #HOME_VARIABLE}), else the current one. */
  static ServiceJdk of(Map<String, String> env) {
    String configured = env.getOrDefault(HOME_VARIABLE, System.getenv(HOME_VARIABLE));
    Path current = Path.of(System.getProperty("java.home"));
    if (configured == null || configured.isBlank()) {
      return new ServiceJdk(current, Runtime.version().feature(), "");
    }
    Path home = Path.of(configured.trim());
    return new ServiceJdk(home, featureOf(home).orElse(home.equals(current) ? Runtime.version().feature() : 0), "");
  }

  /** The feature version ({@code 25} of {@code 25.0.3}) in a JDK's {@code release} file. */
  static OptionalInt featureOf(Path home) {
    try {
      Matcher version = JAVA_VERSION.matcher(Files.readString(home.resolve("release"), StandardCharsets.UTF_8));
      return version.find() ? OptionalInt.of(Integer.parseInt(version.group(1))) : OptionalInt.empty();
    } catch (IOException | RuntimeException e) {
      return OptionalInt.empty();
    }
  }
}
