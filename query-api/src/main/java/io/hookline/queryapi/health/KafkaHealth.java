package io.hookline.queryapi.health;

import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** Up when the Kafka cluster answers a describe-cluster request within {@link #TIMEOUT}. */
@Singleton
public class KafkaHealth implements HealthComponent {

  static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final Admin admin;

  public KafkaHealth(Admin admin) {
    this.admin = admin;
  }

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public ComponentHealth check() {
    try {
      int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
          .nodes()
          .get(TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS)
          .size();
      return ComponentHealth.up(Map.of("nodes", nodes));
    } catch (ExecutionException e) {
      return ComponentHealth.down(Map.of("error", String.valueOf(e.getCause().getMessage())));
    } catch (TimeoutException e) {
      return ComponentHealth.down(Map.of("error", "no answer within " + TIMEOUT.toMillis() + " ms"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ComponentHealth.down(Map.of("error", "interrupted"));
    }
  }
}
