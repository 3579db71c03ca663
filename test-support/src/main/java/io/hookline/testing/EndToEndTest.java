package io.hookline.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Tier 3: the test class starts Hookline's services as separate processes (as a user runs them) and
 * drives them from outside; a minute or more each. {@code ./mvnw verify -Punit} and {@code
 * ./mvnw verify -Pintegration} leave these out.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(EndToEndTest.TAG)
public @interface EndToEndTest {
  String TAG = "end-to-end";
}
