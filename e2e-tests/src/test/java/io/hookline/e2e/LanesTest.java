package io.hookline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.testing.EndToEndTest;
import java.lang.annotation.Annotation;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Every end-to-end class picks exactly one {@link Lanes lane}: a class without one would run in the
 * engine's own thread beside whatever else runs, and one with two would hold locks it does not mean.
 */
class LanesTest {

  private static final List<Class<? extends Annotation>> LANES =
      List.of(Lanes.Busy.class, Lanes.Waiting.class, Lanes.Alone.class, Lanes.Free.class);

  @Test
  void everyEndToEndClassPicksExactlyOneLane() throws Exception {
    List<Class<?>> endToEnd = endToEndClasses();
    assertThat(endToEnd).as("end-to-end classes found").hasSizeGreaterThan(10);
    for (Class<?> test : endToEnd) {
      long lanes = LANES.stream().filter(test::isAnnotationPresent).count();
      assertThat(lanes).as(test.getSimpleName() + " lanes (one of " + LANES + ")").isEqualTo(1);
    }
  }

  /** JUnit finds the locks and the execution mode through the lane annotations (meta-annotations). */
  @Test
  void theLanesAreTheLocksJUnitSees() {
    assertThat(locks(BusyClass.class)).containsExactly(Lanes.CORES);
    assertThat(locks(WaitingClass.class)).containsExactly(Lanes.WAITING);
    // @Isolated: JUnit's global lock, which every other class holds for reading.
    assertThat(AnnotationSupport.isAnnotated(AloneClass.class, Isolated.class)).isTrue();
    assertThat(locks(AloneClass.class)).hasSize(1).doesNotContain(Lanes.CORES, Lanes.WAITING);
    assertThat(locks(FreeClass.class)).isEmpty();
    for (Class<?> c : List.of(BusyClass.class, WaitingClass.class, FreeClass.class)) {
      assertThat(AnnotationSupport.findAnnotation(c, Execution.class)).as(c.getSimpleName())
          .hasValueSatisfying(e -> assertThat(e.value()).isEqualTo(ExecutionMode.CONCURRENT));
    }
  }

  private static List<String> locks(Class<?> c) {
    return AnnotationSupport.findRepeatableAnnotations(c, ResourceLock.class).stream()
        .peek(lock -> assertThat(lock.mode()).isEqualTo(ResourceAccessMode.READ_WRITE))
        .map(ResourceLock::value).toList();
  }

  private static List<Class<?>> endToEndClasses() throws URISyntaxException, java.io.IOException {
    Path root = Path.of(LanesTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path dir = root.resolve(LanesTest.class.getPackageName().replace('.', '/'));
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString())
          .filter(name -> name.endsWith(".class") && !name.contains("$"))
          .<Class<?>>map(name -> load(LanesTest.class.getPackageName() + "." + name.substring(0, name.length() - 6)))
          .filter(c -> c.isAnnotationPresent(EndToEndTest.class))
          .toList();
    }
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, LanesTest.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(name, e);
    }
  }

  @Lanes.Busy
  private static final class BusyClass {}

  @Lanes.Waiting
  private static final class WaitingClass {}

  @Lanes.Alone
  private static final class AloneClass {}

  @Lanes.Free
  private static final class FreeClass {}
}
