package io.hookline.queryapi.attempts.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.queryapi.attempts.AttemptQuery;
import io.hookline.queryapi.attempts.domain.AttemptStatus;
import io.hookline.queryapi.domain.InvalidFieldException;
import io.hookline.queryapi.view.PageCursors;
import io.hookline.queryapi.view.PageStart;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How the attempt log's query parameters read, in every accepted form; bad values are in AttemptApiTest. */
class AttemptsParametersTest {

  private static final PageCursors CURSORS =
      new PageCursors("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));

  private static AttemptQuery read(String... pairs) {
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      parameters.computeIfAbsent(pairs[i], k -> new java.util.ArrayList<>()).add(pairs[i + 1]);
    }
    return AttemptsParameters.read("w1", parameters, CURSORS);
  }

  private static long at(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  @Test
  void defaultsAreEverythingNewestFirstFiftyFromTheStart() {
    AttemptQuery q = read();

    assertThat(q.fromTime()).isZero();
    assertThat(q.toTime()).isEqualTo(Long.MAX_VALUE);
    assertThat(q.statuses()).isEmpty();
    assertThat(q.events()).isEmpty();
    assertThat(q.oldestFirst()).isFalse();
    assertThat(q.limit()).isEqualTo(50);
    assertThat(q.start()).isEqualTo(PageStart.offset(0));
  }

  @Test
  void timesReadAsEpochMillisIsoDateTimesOrWholeUtcDays() {
    assertThat(read("from_time", "1700000000000").fromTime()).isEqualTo(1_700_000_000_000L);
    assertThat(read("from_time", "2026-11-01T08:00:00+02:00").fromTime()).isEqualTo(at("2026-11-01T06:00:00Z"));
    assertThat(read("from_time", "2026-11-01T08:00:00").fromTime()).as("no offset: UTC")
        .isEqualTo(at("2026-11-01T08:00:00Z"));
    AttemptQuery day = read("start_date", "2026-11-01", "end_date", "2026-11-01");
    assertThat(day.fromTime()).isEqualTo(at("2026-11-01T00:00:00Z"));
    assertThat(day.toTime()).as("an end day is the whole day").isEqualTo(at("2026-11-01T23:59:59.999Z"));
    assertThat(read("till_time", "2021-06-01T00:00:00").toTime()).isEqualTo(at("2021-06-01T00:00:00Z"));
    assertThat(read("to_time", "2026-11-02").toTime()).isEqualTo(at("2026-11-02T23:59:59.999Z"));
  }

  @Test
  void statusesAndEventsAreRepeatableOrCommaSeparated() {
    assertThat(read("status", "ERROR", "status", "timeout").statuses())
        .containsExactlyInAnyOrder(AttemptStatus.ERROR, AttemptStatus.TIMEOUT);
    assertThat(read("status", "SENT,ERROR").statuses())
        .containsExactlyInAnyOrder(AttemptStatus.SENT, AttemptStatus.ERROR);
    assertThat(read("events", "a,b", "events", "c").events()).isEqualTo(Set.of("a", "b", "c"));
  }

  @Test
  void orderLimitOffsetAndCursor() {
    assertThat(read("order", "created_at").oldestFirst()).isTrue();
    assertThat(read("order", "-created_at").oldestFirst()).isFalse();
    AttemptQuery q = read("limit", "500", "offset", "20");
    assertThat(q.limit()).isEqualTo(500);
    assertThat(q.start()).isEqualTo(PageStart.offset(20));
    String cursor = CURSORS.encode(new PageStart.After(new byte[] {1, 2}),
        AttemptQuery.binding("w1", 0, Long.MAX_VALUE, Set.of(AttemptStatus.ERROR), Set.of(), true));
    assertThat(read("status", "ERROR", "order", "created_at", "cursor", cursor).start())
        .isEqualTo(new PageStart.After(new byte[] {1, 2}));
    assertThatThrownBy(() -> read("order", "created_at", "cursor", cursor))
        .as("the same cursor with other filters")
        .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("cursor"));
  }
}
