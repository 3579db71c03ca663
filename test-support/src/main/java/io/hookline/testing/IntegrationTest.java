package io.hookline.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Tier 2: the test class runs against a real Kafka broker (and real HTTP receivers), started for the
 * class; seconds to a minute each. {@code ./mvnw verify -Punit} leaves these out.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(IntegrationTest.TAG)
public @interface IntegrationTest {
  String TAG = "integration";
}
