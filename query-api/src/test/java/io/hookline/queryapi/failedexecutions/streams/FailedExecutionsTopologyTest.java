package io.hookline.queryapi.failedexecutions.streams;

import static io.hookline.queryapi.FailedExecutionSamples.failed;
import static io.hookline.queryapi.FailedExecutionSamples.resolved;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.avro.FailedExecution;
import io.hookline.queryapi.TopologyUnderTest;
import io.hookline.queryapi.failedexecutions.FailedExecutionQuery;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The failed-executions topology, its range scans and its execution-id index (one execution by id,
 * what "retry now" reads), with TopologyTestDriver (no broker).
 */
class FailedExecutionsTopologyTest {

  private static final Duration RETENTION = TopologyUnderTest.RETENTION;
  private static final long T = TopologyUnderTest.T;
  private static final String WEBHOOK = "19367000000120011";

  private final TopologyUnderTest views = new TopologyUnderTest();
  private final KeyValueStore<Bytes, FailedExecution> store =
      views.store(FailedExecutionsTopology.FAILED_EXECUTIONS_STORE);
  private final KeyValueStore<String, Bytes> executionKeys = views.store(FailedExecutionsTopology.EXECUTION_KEYS_STORE);

  @AfterEach
  void stop() {
    views.close();
  }

  private void write(FailedExecution f) {
    views.write(f);
  }

  private List<String> ids(String webhook, long from, long to, Set<String> events, int limit, int pageno) {
    return FailedExecutionsQueries.scan(store, new FailedExecutionQuery(webhook, from, to, events, limit, pageno),
            TopologyUnderTest.OLDEST_KEPT)
        .items().stream().map(f -> f.executionId()).toList();
  }

  private List<String> all(String webhook) {
    return ids(webhook, 0, Long.MAX_VALUE, Set.of(), 50, 1);
  }

  private Optional<io.hookline.queryapi.failedexecutions.domain.FailedExecution> find(String webhook,
      String execution) {
    return FailedExecutionsQueries.lookup(executionKeys, store, webhook, execution, TopologyUnderTest.OLDEST_KEPT);
  }

  @Test
  void storesEachFailureAndListsAWebhooksFailuresNewestFirst() {
    write(failed("zylker", WEBHOOK, "b", T - 2_000));
    write(failed("zylker", WEBHOOK, "a", T - 3_000));
    write(failed("zylker", WEBHOOK, "c", T - 1_000));
    write(failed("zylker", "other", "x", T - 500));

    assertThat(all(WEBHOOK)).containsExactly("c", "b", "a");
    assertThat(all("other")).containsExactly("x");
    assertThat(all("unknown")).isEmpty();
  }

  @Test
  void webhookIdsThatArePrefixesOfEachOtherDoNotMix() {
    write(failed("zylker", "12", "short", T - 1_000));
    write(failed("zylker", "123", "long", T - 2_000));
    write(failed("zylker", "1", "shortest", T - 3_000));

    assertThat(all("12")).containsExactly("short");
    assertThat(all("123")).containsExactly("long");
    assertThat(all("1")).containsExactly("shortest");
  }

  @Test
  void timeRangeIsInclusiveAtBothEnds() {
    for (int i = 1; i <= 5; i++) {
      write(failed("zylker", WEBHOOK, "e" + i, T - i * 1_000L));
    }

    assertThat(ids(WEBHOOK, T - 4_000, T - 2_000, Set.of(), 50, 1)).containsExactly("e2", "e3", "e4");
    assertThat(ids(WEBHOOK, T - 3_000, T - 3_000, Set.of(), 50, 1)).containsExactly("e3");
    assertThat(ids(WEBHOOK, T - 999, Long.MAX_VALUE, Set.of(), 50, 1)).isEmpty();
  }

  @Test
  void eventsFilterAppliesBeforePaging() {
    for (int i = 1; i <= 12; i++) {
      String event = i % 2 == 0 ? "conversation.created" : "conversation.ended";
      write(failed("zylker", WEBHOOK, "e" + i, event, "1", T - i * 1_000L));
    }

    assertThat(ids(WEBHOOK, 0, Long.MAX_VALUE, Set.of("conversation.created"), 5, 1))
        .containsExactly("e2", "e4", "e6", "e8", "e10");
    assertThat(ids(WEBHOOK, 0, Long.MAX_VALUE, Set.of("conversation.created"), 5, 2)).containsExactly("e12");
    assertThat(ids(WEBHOOK, 0, Long.MAX_VALUE, Set.of("conversation.created"), 5, 3)).isEmpty();
    assertThat(ids(WEBHOOK, 0, Long.MAX_VALUE, Set.of("conversation.created", "conversation.ended"), 50, 1))
        .hasSize(12);
    assertThat(ids(WEBHOOK, 0, Long.MAX_VALUE, Set.of("chat.missed"), 50, 1)).isEmpty();
  }

  @Test
  void resolvedRemovesTheExecutionFromBothStores() {
    FailedExecution a = failed("zylker", WEBHOOK, "a", T - 2_000);
    write(a);
    write(failed("zylker", WEBHOOK, "b", T - 1_000));

    write(resolved(a, T - 500));

    assertThat(all(WEBHOOK)).containsExactly("b");
    assertThat(executionKeys.get("a")).isNull();
    assertThat(executionKeys.get("b")).isNotNull();
  }

  @Test
  void aNewerFailureOfTheSameExecutionReplacesTheOlderEntry() {
    write(failed("zylker", WEBHOOK, "a", T - 5_000));
    write(failed("zylker", WEBHOOK, "b", T - 3_000));
    FailedExecution again = FailedExecution.newBuilder(failed("zylker", WEBHOOK, "a", T - 1_000))
        .setLastHttpStatus(503).build();

    write(again);

    assertThat(all(WEBHOOK)).containsExactly("a", "b");
    List<io.hookline.queryapi.failedexecutions.domain.FailedExecution> page = FailedExecutionsQueries.scan(store,
        new FailedExecutionQuery(WEBHOOK, 0, Long.MAX_VALUE, Set.of(), 50, 1), 0).items();
    assertThat(page.get(0).lastExecutionTime()).isEqualTo(T - 1_000);
    assertThat(page.get(0).lastHttpStatus()).isEqualTo(503);
    assertThat(store.approximateNumEntries()).isEqualTo(2);
  }

  @Test
  void failuresOlderThanTheRetentionAreNotReturnedAndArePurged() {
    write(failed("zylker", WEBHOOK, "old", T - RETENTION.toMillis() - 1));
    write(failed("zylker", WEBHOOK, "new", T - 1_000));

    assertThat(all(WEBHOOK)).as("filtered on read before any purge").containsExactly("new");
    assertThat(executionKeys.get("old")).isNotNull();

    views.advance(FailedExecutionsTopology.purgeInterval(RETENTION));

    assertThat(executionKeys.get("old")).isNull();
    assertThat(FailedExecutionsQueries.scan(store,
        new FailedExecutionQuery(WEBHOOK, 0, Long.MAX_VALUE, Set.of(), 50, 1), 0).items())
        .extracting(f -> f.executionId()).containsExactly("new");
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
  void aResolvedExecutionOrOneOlderThanTheRetentionIsNotFoundById() {
    FailedExecution delivered = failed("zylker", "w1", "delivered", T - 2_000);
    write(delivered);
    write(resolved(delivered, T - 1_000));
    write(failed("zylker", "w1", "old", T - RETENTION.toMillis() - 1));

    assertThat(find("w1", "delivered")).isEmpty();
    assertThat(find("w1", "old")).isEmpty();
  }
}
