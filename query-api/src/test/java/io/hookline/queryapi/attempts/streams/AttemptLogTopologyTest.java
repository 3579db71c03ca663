package io.hookline.queryapi.attempts.streams;

import static io.hookline.queryapi.AttemptSamples.attempt;
import static io.hookline.queryapi.FailedExecutionSamples.failed;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.queryapi.TopologyUnderTest;
import io.hookline.queryapi.attempts.AttemptQuery;
import io.hookline.queryapi.attempts.domain.Attempt;
import io.hookline.queryapi.attempts.domain.AttemptStatus;
import io.hookline.queryapi.failedexecutions.streams.FailedExecutionsTopology;
import io.hookline.queryapi.view.Page;
import io.hookline.queryapi.view.PageStart;
import io.hookline.queryapi.view.streams.QueryViewsTopology;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The attempt log in the query views' topology, and its keyset pages, with TopologyTestDriver (no broker). */
class AttemptLogTopologyTest {

  private static final Duration RETENTION = TopologyUnderTest.RETENTION;
  private static final long T = TopologyUnderTest.T;
  private static final String WEBHOOK = "19367000000120011";

  private final TopologyUnderTest views = new TopologyUnderTest();
  private final KeyValueStore<Bytes, io.hookline.avro.Attempt> store = views.store(AttemptLogTopology.ATTEMPTS_STORE);

  @AfterEach
  void stop() {
    views.close();
  }

  private void write(io.hookline.avro.Attempt a) {
    views.write(a);
  }

  private static AttemptQuery query(String webhook, long from, long to, Set<AttemptStatus> statuses,
      Set<String> events, boolean oldestFirst, int limit, PageStart start) {
    return new AttemptQuery(webhook, from, to, statuses, events, oldestFirst, limit, start);
  }

  private static AttemptQuery all(String webhook, int limit, PageStart start) {
    return query(webhook, 0, Long.MAX_VALUE, Set.of(), Set.of(), false, limit, start);
  }

  private Page<Attempt> page(AttemptQuery query) {
    return AttemptLogQueries.scan(store, query, TopologyUnderTest.OLDEST_KEPT);
  }

  /** The exact number of entries (RocksDB's estimate counts overwritten keys too). */
  private long entries() {
    long n = 0;
    try (var all = store.all()) {
      while (all.hasNext()) {
        all.next();
        n++;
      }
    }
    return n;
  }

  private static List<String> ids(Page<Attempt> page) {
    return page.items().stream().map(a -> a.executionId() + "#" + a.attempt()).toList();
  }

  @Test
  void bothViewsAreOneSubTopologySoOneInstanceOwnsAWebhooksFailuresAndAttempts() {
    TopologyDescription description = QueryViewsTopology.build(TopologyUnderTest.TOPICS, RETENTION,
        TopologyUnderTest.STATS_RETENTION).describe();

    assertThat(description.subtopologies()).hasSize(1);
    TopologyDescription.Subtopology only = description.subtopologies().iterator().next();
    assertThat(only.nodes()).filteredOn(n -> n instanceof TopologyDescription.Source)
        .flatExtracting(n -> ((TopologyDescription.Source) n).topicSet())
        .containsExactlyInAnyOrder(TopologyUnderTest.TOPICS.attempts().name(),
            TopologyUnderTest.TOPICS.deadLetter().name());
    assertThat(only.nodes()).filteredOn(n -> n instanceof TopologyDescription.Processor)
        .flatExtracting(n -> ((TopologyDescription.Processor) n).stores())
        .contains(AttemptLogTopology.ATTEMPTS_STORE, FailedExecutionsTopology.FAILED_EXECUTIONS_STORE,
            FailedExecutionsTopology.EXECUTION_KEYS_STORE);
  }

  @Test
  void listsEveryAttemptOfAWebhookNewestFirstAndOldestFirstOnRequest() {
    write(attempt("zylker", WEBHOOK, "x", 1, AttemptStatus.ERROR, "conversation.created", T - 3_000));
    write(attempt("zylker", WEBHOOK, "x", 2, AttemptStatus.SENT, "conversation.created", T - 1_000));
    write(attempt("zylker", WEBHOOK, "y", 1, AttemptStatus.TIMEOUT, "chat.ended", T - 2_000));
    write(attempt("zylker", "other", "z", AttemptStatus.SENT, T - 500));
    views.write(failed("zylker", WEBHOOK, "f", T - 100));

    assertThat(ids(page(all(WEBHOOK, 50, PageStart.offset(0))))).containsExactly("x#2", "y#1", "x#1");
    assertThat(ids(page(query(WEBHOOK, 0, Long.MAX_VALUE, Set.of(), Set.of(), true, 50, PageStart.offset(0)))))
        .containsExactly("x#1", "y#1", "x#2");
    assertThat(ids(page(all("other", 50, PageStart.offset(0))))).containsExactly("z#1");
    assertThat(ids(page(all("unknown", 50, PageStart.offset(0))))).isEmpty();
    Attempt first = page(all(WEBHOOK, 1, PageStart.offset(0))).items().get(0);
    assertThat(first.httpStatus()).isEqualTo(200);
    assertThat(first.deliveredAt()).isEqualTo(T - 1_000 + 42);
  }

  @Test
  void theSameAttemptWrittenTwiceIsOneEntryAndWebhookIdsThatArePrefixesDoNotMix() {
    io.hookline.avro.Attempt a = attempt("zylker", "12", "e", AttemptStatus.ERROR, T - 1_000);
    write(a);
    write(a);
    write(attempt("zylker", "123", "e", AttemptStatus.ERROR, T - 1_000));
    write(attempt("zylker", "1", "e", AttemptStatus.ERROR, T - 1_000));

    assertThat(page(all("12", 50, PageStart.offset(0))).total()).hasValue(1);
    assertThat(page(all("123", 50, PageStart.offset(0))).total()).hasValue(1);
    assertThat(page(all("1", 50, PageStart.offset(0))).total()).hasValue(1);
    assertThat(entries()).isEqualTo(3L);
  }

  @Test
  void statusEventAndTimeFiltersApplyBeforePagingAndCounting() {
    for (int i = 1; i <= 9; i++) {
      AttemptStatus status = AttemptStatus.values()[i % 3];
      write(attempt("zylker", WEBHOOK, "e" + i, 1, status, i <= 6 ? "conversation.created" : "chat.ended",
          T - i * 1_000L));
    }
    // e1 ERROR, e2 TIMEOUT, e3 SENT, e4 ERROR, e5 TIMEOUT, e6 SENT, e7 ERROR, e8 TIMEOUT, e9 SENT

    Page<Attempt> failures = page(query(WEBHOOK, 0, Long.MAX_VALUE,
        Set.of(AttemptStatus.ERROR, AttemptStatus.TIMEOUT), Set.of(), false, 3, PageStart.offset(0)));
    assertThat(ids(failures)).containsExactly("e1#1", "e2#1", "e4#1");
    assertThat(failures.total()).hasValue(6);
    assertThat(ids(page(query(WEBHOOK, 0, Long.MAX_VALUE, Set.of(AttemptStatus.ERROR, AttemptStatus.TIMEOUT),
        Set.of(), false, 3, PageStart.offset(3))))).containsExactly("e5#1", "e7#1", "e8#1");

    Page<Attempt> chats = page(query(WEBHOOK, 0, Long.MAX_VALUE, Set.of(), Set.of("chat.ended"), false, 50,
        PageStart.offset(0)));
    assertThat(ids(chats)).containsExactly("e7#1", "e8#1", "e9#1");

    Page<Attempt> range = page(query(WEBHOOK, T - 5_000, T - 3_000, Set.of(), Set.of(), false, 50,
        PageStart.offset(0)));
    assertThat(ids(range)).as("inclusive at both ends").containsExactly("e3#1", "e4#1", "e5#1");
    assertThat(range.total()).hasValue(3);
    assertThat(page(query(WEBHOOK, T - 999, Long.MAX_VALUE, Set.of(), Set.of(), false, 50, PageStart.offset(0)))
        .items()).isEmpty();
  }

  @Test
  void offsetPagesKnowTheTotalAndWhetherThereIsANextOrPreviousPage() {
    for (int i = 1; i <= 5; i++) {
      write(attempt("zylker", WEBHOOK, "e" + i, AttemptStatus.SENT, T - i * 1_000L));
    }

    Page<Attempt> first = page(all(WEBHOOK, 2, PageStart.offset(0)));
    assertThat(ids(first)).containsExactly("e1#1", "e2#1");
    assertThat(first.total()).hasValue(5);
    assertThat(first.previous()).isEmpty();
    assertThat(first.next()).isPresent();

    Page<Attempt> last = page(all(WEBHOOK, 2, PageStart.offset(4)));
    assertThat(ids(last)).containsExactly("e5#1");
    assertThat(last.next()).isEmpty();
    assertThat(last.previous()).isPresent();
    assertThat(ids(page(all(WEBHOOK, 2, last.previous().get())))).containsExactly("e3#1", "e4#1");

    Page<Attempt> past = page(all(WEBHOOK, 2, PageStart.offset(9)));
    assertThat(past.items()).isEmpty();
    assertThat(past.total()).hasValue(5);
  }

  @Test
  void followingNextPositionsWalksTheLogOnceWhileNewerAttemptsArrive() {
    for (int i = 1; i <= 7; i++) {
      write(attempt("zylker", WEBHOOK, "e" + i, AttemptStatus.ERROR, T - i * 1_000L));
    }

    Page<Attempt> first = page(all(WEBHOOK, 3, PageStart.offset(0)));
    assertThat(ids(first)).containsExactly("e1#1", "e2#1", "e3#1");
    write(attempt("zylker", WEBHOOK, "new1", AttemptStatus.SENT, T - 100));
    write(attempt("zylker", WEBHOOK, "new2", AttemptStatus.SENT, T - 50));

    Page<Attempt> second = page(all(WEBHOOK, 3, first.next().orElseThrow()));
    assertThat(ids(second)).containsExactly("e4#1", "e5#1", "e6#1");
    assertThat(second.total()).hasValue(9);
    Page<Attempt> third = page(all(WEBHOOK, 3, second.next().orElseThrow()));
    assertThat(ids(third)).containsExactly("e7#1");
    assertThat(third.next()).isEmpty();

    Page<Attempt> back = page(all(WEBHOOK, 3, third.previous().orElseThrow()));
    assertThat(ids(back)).containsExactly("e4#1", "e5#1", "e6#1");
    Page<Attempt> backAgain = page(all(WEBHOOK, 3, back.previous().orElseThrow()));
    assertThat(ids(backAgain)).containsExactly("e1#1", "e2#1", "e3#1");
    assertThat(backAgain.previous()).as("the newer attempts are before it").isPresent();
    Page<Attempt> newest = page(all(WEBHOOK, 3, backAgain.previous().orElseThrow()));
    assertThat(ids(newest)).containsExactly("new2#1", "new1#1");
    assertThat(newest.previous()).isEmpty();
    assertThat(ids(page(all(WEBHOOK, 3, newest.next().orElseThrow())))).containsExactly("e1#1", "e2#1", "e3#1");
  }

  @Test
  void oldestFirstPositionsWalkForwardAndBack() {
    for (int i = 1; i <= 5; i++) {
      write(attempt("zylker", WEBHOOK, "e" + i, AttemptStatus.TIMEOUT, T - i * 1_000L));
    }
    AttemptQuery firstQuery = query(WEBHOOK, 0, Long.MAX_VALUE, Set.of(), Set.of(), true, 2, PageStart.offset(0));

    Page<Attempt> first = page(firstQuery);
    assertThat(ids(first)).containsExactly("e5#1", "e4#1");
    Page<Attempt> second = page(query(WEBHOOK, 0, Long.MAX_VALUE, Set.of(), Set.of(), true, 2,
        first.next().orElseThrow()));
    assertThat(ids(second)).containsExactly("e3#1", "e2#1");
    Page<Attempt> previous = page(query(WEBHOOK, 0, Long.MAX_VALUE, Set.of(), Set.of(), true, 2,
        second.previous().orElseThrow()));
    assertThat(ids(previous)).containsExactly("e5#1", "e4#1");
    assertThat(previous.previous()).isEmpty();
  }

  @Test
  void aPositionWhoseAttemptIsGoneStillMarksThePlace() {
    for (int i = 1; i <= 4; i++) {
      write(attempt("zylker", WEBHOOK, "e" + i, AttemptStatus.ERROR, T - RETENTION.toMillis() + 60_000 - i * 1_000L));
    }
    Page<Attempt> first = page(all(WEBHOOK, 2, PageStart.offset(0)));
    assertThat(ids(first)).containsExactly("e1#1", "e2#1");

    store.delete(AttemptKeys.key(WEBHOOK, T - RETENTION.toMillis() + 60_000 - 2_000L, "e2", 1));

    assertThat(ids(page(all(WEBHOOK, 2, first.next().orElseThrow())))).containsExactly("e3#1", "e4#1");
  }

  @Test
  void attemptsOlderThanTheRetentionAreNotReturnedAndArePurged() {
    write(attempt("zylker", WEBHOOK, "old", AttemptStatus.ERROR, T - RETENTION.toMillis() - 1));
    write(attempt("zylker", WEBHOOK, "new", AttemptStatus.SENT, T - 1_000));

    Page<Attempt> before = page(all(WEBHOOK, 50, PageStart.offset(0)));
    assertThat(ids(before)).as("filtered on read before any purge").containsExactly("new#1");
    assertThat(before.total()).hasValue(1);
    assertThat(entries()).isEqualTo(2L);

    views.advance(FailedExecutionsTopology.purgeInterval(RETENTION));

    assertThat(entries()).isEqualTo(1L);
    assertThat(ids(AttemptLogQueries.scan(store, all(WEBHOOK, 50, PageStart.offset(0)), 0)))
        .containsExactly("new#1");
  }
}
