package io.hookline.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The JDK the services of a local run start on. On a JDK {@value #AOT_FEATURE} or later each
 * service starts from an ahead-of-time cache ({@link AotCache}: its classes loaded and linked, and
 * method profiles, from an earlier start), which brings it up faster than a class-data archive on
 * JDK 17 does. Hookline itself needs only a JDK 17, so a machine without a newer JDK runs the
 * services on the launcher's own JDK with class-data archives ({@link ClassDataArchive}), and says
 * so in one line.
 *
 * <p>Found in this order: {@value #HOME_VARIABLE} (taken as given, any version; a folder without
 * {@code bin/java} is an error), the launcher's own JDK when it is {@value #AOT_FEATURE}+, {@code
 * JAVA_HOME} when that is, the newest {@value #AOT_FEATURE}+ JDK under {@value #INSTALLED} (where
 * Debian and the Temurin packages put them); else the launcher's own. A JDK's version comes from its
 * {@code release} file, so finding one starts no JVM.
 */
record ServiceJdk(Path home, int feature, String note) {

  /** Names the services' JDK (its home folder); {@link LocalRun} sets it to what it found. */
  static final String HOME_VARIABLE = "HOOKLINE_LOCAL_JAVA_HOME";
  /** The first JDK with AOT caches from a training run and their command-line options (JEP 483, 514, 515). */
  static final int AOT_FEATURE = 25;
  static final String INSTALLED = "/usr/lib/jvm";

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
    return find(env, Path.of(System.getProperty("java.home")), Runtime.version().feature(), installed(Path.of(INSTALLED)));
  }

  /**
   * As {@link #find(Map)}, with the launcher's own JDK ({@code current}, of version {@code
   * currentFeature}) and the installed JDK homes given.
   *
   * @throws IllegalArgumentException when {@value #HOME_VARIABLE} names no JDK
   */
  static ServiceJdk find(Map<String, String> env, Path current, int currentFeature, List<Path> installed) {
    String configured = env.get(HOME_VARIABLE);
    if (configured != null && !configured.isBlank()) {
      Path home = Path.of(configured.trim());
      if (!Files.isExecutable(home.resolve("bin").resolve("java"))) {
        throw new IllegalArgumentException(HOME_VARIABLE + "=" + configured + " is not a JDK (no bin/java in it)");
      }
      int feature = featureOf(home).orElse(home.equals(current) ? currentFeature : 0);
      return new ServiceJdk(home, feature, "the services run on the JDK in " + HOME_VARIABLE + " (" + home + ")");
    }
    if (currentFeature >= AOT_FEATURE) {
      return new ServiceJdk(current, currentFeature, "the services run on JDK " + currentFeature + " with AOT caches");
    }
    List<Path> candidates = new ArrayList<>();
    String javaHome = env.get("JAVA_HOME");
    if (javaHome != null && !javaHome.isBlank()) {
      candidates.add(Path.of(javaHome.trim()));
    }
    installed.stream()
        .sorted(Comparator.comparingInt((Path home) -> featureOf(home).orElse(0)).reversed())
        .forEach(candidates::add);
    for (Path home : candidates) {
      OptionalInt feature = featureOf(home);
      if (feature.isPresent() && feature.getAsInt() >= AOT_FEATURE && Files.isExecutable(home.resolve("bin").resolve("java"))) {
        return new ServiceJdk(home, feature.getAsInt(),
            "the services run on JDK " + feature.getAsInt() + " (" + home + ") with AOT caches");
      }
    }
    return new ServiceJdk(current, currentFeature, "no JDK " + AOT_FEATURE + "+ found (" + HOME_VARIABLE
        + ", JAVA_HOME, " + INSTALLED + "): the services run on JDK " + currentFeature
        + " with class-data archives, and take longer to start and to warm up");
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

  /** The folders under {@code dir} (JDK homes, or not: those without a release file are skipped later). */
  static List<Path> installed(Path dir) {
    try (Stream<Path> homes = Files.list(dir)) {
      return homes.filter(Files::isDirectory).toList();
    } catch (IOException e) {
      return List.of();
    }
  }
}
