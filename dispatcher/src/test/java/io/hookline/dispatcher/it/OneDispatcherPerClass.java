package io.hookline.dispatcher.it;

import io.hookline.testing.KafkaBrokerExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The setup of test classes whose tests share one broker and one dispatcher with the default
 * settings: both start before the first test of the class and stop after its last. Each test
 * works on webhooks of its own, so the tests do not see each other's records.
 */
abstract class OneDispatcherPerClass {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  static final Duration WAIT = Duration.ofSeconds(15);

  static RunningDispatcher hookline;

  @BeforeAll
  static void startDispatcher() {
    hookline = new RunningDispatcher(KAFKA.broker(), Map.of());
  }

  @AfterAll
  static void stopDispatcher() {
    if (hookline != null) {
      hookline.close();
      hookline = null;
    }
  }
}
