package io.hookline.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Finds the classpath of one service: the jar (or classes folder) holding its main class, plus the
 * {@value #RUNTIME_CLASSPATH_FILE} its Maven build wrote beside it (every module writes one, see
 * the root pom), plus the launcher's own entry for {@link ExitWithParent}. Where no such file
 * sits beside the jar (a jar resolved from the local Maven repository, say), the current classpath
 * without the entries of the other Hookline services.
 *
 * <p>Why not the launcher's whole classpath: each service is a Micronaut application, and
 * Micronaut loads every bean definition and every {@code application.yml} it finds on its
 * classpath. With all services on one classpath, each JVM would also run the other services' beans
 * (the query API's HTTP server in the dispatcher, for instance). A main class whose build wrote no
 * such file runs with the current classpath minus the other services' entries.
 */
final class ServiceClasspath {

  static final String RUNTIME_CLASSPATH_FILE = "runtime-classpath.txt";

  private ServiceClasspath() {}

  static String of(String mainClass) {
    Path entry = entryHolding(mainClass);
    Path runtimeClasspath = entry.toAbsolutePath().getParent().resolve(RUNTIME_CLASSPATH_FILE);
    if (!Files.isRegularFile(runtimeClasspath)) {
      return withoutOtherServices(mainClass);
    }
    Set<String> parts = new LinkedHashSet<>();
    parts.add(entry.toString());
    parts.add(launcherEntry().toString());
    try {
      String dependencies = Files.readString(runtimeClasspath, StandardCharsets.UTF_8).trim();
      for (String part : dependencies.split(File.pathSeparator)) {
        if (!part.isBlank()) {
          parts.add(part);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + runtimeClasspath, e);
    }
    return String.join(File.pathSeparator, parts);
  }

  /** The current classpath without the entries holding the other services' main classes. */
  static String withoutOtherServices(String mainClass) {
    boolean isService = LocalRun.SERVICES.stream().anyMatch(e -> e.getValue().equals(mainClass));
    if (!isService) {
      return ChildJvm.currentClasspath();
    }
    Set<Path> others = new LinkedHashSet<>();
    for (var service : LocalRun.SERVICES) {
      String other = service.getValue();
      if (!other.equals(mainClass) && ClassLoader.getSystemClassLoader().getResource(other.replace('.', '/') + ".class") != null) {
        others.add(entryHolding(other).toAbsolutePath().normalize());
      }
    }
    Set<String> parts = new LinkedHashSet<>();
    for (String part : expandedClasspath()) {
      if (!part.isBlank() && !others.contains(Path.of(part).toAbsolutePath().normalize())) {
        parts.add(part);
      }
    }
    return String.join(File.pathSeparator, parts);
  }

  /**
   * The entries of the current classpath. Under Surefire, {@code java.class.path} is a
   * manifest-only jar whose {@code Class-Path} lists the real entries; those are read out.
   */
  private static java.util.List<String> expandedClasspath() {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (String part : ChildJvm.currentClasspath().split(File.pathSeparator)) {
      Path p = Path.of(part);
      if (part.endsWith(".jar") && Files.isRegularFile(p)) {
        try (var jar = new java.util.jar.JarFile(p.toFile())) {
          var manifest = jar.getManifest();
          String cp = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
          if (cp != null && manifest.getMainAttributes().getValue("Main-Class") != null
              && jar.getEntry("META-INF/MANIFEST.MF") != null && jar.size() <= 2) {
            for (String url : cp.trim().split("\\s+")) {
              // Entries are URIs, relative to the manifest jar's folder or absolute.
              out.add(Path.of(p.toAbsolutePath().getParent().toUri().resolve(url)).toString());
            }
            continue;
          }
        } catch (IOException | RuntimeException e) {
          // not a manifest-only jar: keep it as it is
        }
      }
      out.add(part);
    }
    return out;
  }

  /** The classpath entry (jar or folder) a class is loaded from. */
  static Path entryHolding(String className) {
    String resource = className.replace('.', '/') + ".class";
    URL url = ClassLoader.getSystemClassLoader().getResource(resource);
    if (url == null) {
      throw new IllegalArgumentException(
          className + " is not on the classpath; build it first (./mvnw -DskipTests package)");
    }
    try {
      if ("jar".equals(url.getProtocol())) {
        String file = url.getPath();
        return Path.of(new URL(file.substring(0, file.indexOf("!/"))).toURI());
      }
      Path classFile = Path.of(url.toURI());
      Path root = classFile;
      for (int i = 0; i < resource.split("/").length; i++) {
        root = root.getParent();
      }
      return root;
    } catch (URISyntaxException | IOException e) {
      throw new IllegalStateException("cannot locate the classpath entry of " + className, e);
    }
  }

  private static Path launcherEntry() {
    try {
      return Path.of(ExitWithParent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the launcher's classpath entry", e);
    }
  }
}
