package io.hookline.queryapi.failedexecutions.streams;

import static io.hookline.queryapi.FailedExecutionSamples.failed;
import static io.hookline.queryapi.FailedExecutionSamples.resolved;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.avro.FailedExecution;
import io.hookline.queryapi.TopologyUnderTest;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One failed execution by id through the execution-id index (what "retry now" reads), no broker. */
class FailedExecutionLookupTest {

  private static final Duration RETENTION = TopologyUnderTest.RETENTION;
  private static final long T = TopologyUnderTest.T;

  private final TopologyUnderTest views = new TopologyUnderTest();
  private final KeyValueStore<Bytes, FailedExecution> failures =
      views.store(FailedExecutionsTopology.FAILED_EXECUTIONS_STORE);
  private final KeyValueStore<String, Bytes> executionKeys = views.store(FailedExecutionsTopology.EXECUTION_KEYS_STORE);

  @AfterEach
  void stop() {
    views.close();
  }

  private void write(FailedExecution f) {
    views.write(f);
  }

  private Optional<io.hookline.queryapi.failedexecutions.domain.FailedExecution> find(String webhook,
      String execution) {
    return FailedExecutionsQueries.lookup(executionKeys, failures, webhook, execution, TopologyUnderTest.OLDEST_KEPT);
  }

  @Test
  void findsTheLatestFailureOfAnExecutionOfThatWebhookOnly() {
    write(failed("zylker", "w1", "e1", T - 2_000));
    write(FailedExecution.newBuilder(failed("zylker", "w1", "e1", T - 1_000)).setNumberOfRetries(4).build());
    write(failed("zylker", "w2", "e2", T - 1_000));

    assertThat(find("w1", "e1")).hasValueSatisfying(f -> {
      assertThat(f.numberOfRetries()).isEqualTo(4);
      assertThat(f.lastExecutionTime()).isEqualTo(T - 1_000);
    });
    assertThat(find("w2", "e1")).as("another webhook's execution").isEmpty();
    assertThat(find("w1", "e2")).isEmpty();
    assertThat(find("w1", "unknown")).isEmpty();
  }

  @Test
  void aResolvedExecutionOrOneOlderThanTheRetentionIsNotFound() {
    FailedExecution delivered = failed("zylker", "w1", "delivered", T - 2_000);
    write(delivered);
    write(resolved(delivered, T - 1_000));
    write(failed("zylker", "w1", "old", T - RETENTION.toMillis() - 1));

    assertThat(find("w1", "delivered")).isEmpty();
    assertThat(find("w1", "old")).isEmpty();
  }
}
