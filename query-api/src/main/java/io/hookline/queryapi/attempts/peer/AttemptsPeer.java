package io.hookline.queryapi.attempts.peer;

import io.hookline.queryapi.attempts.AttemptQuery;
import io.hookline.queryapi.attempts.domain.Attempt;
import io.hookline.queryapi.attempts.domain.AttemptStatus;
import io.hookline.queryapi.attempts.kafka.AttemptRecords;
import io.hookline.queryapi.domain.InvalidFieldException;
import io.hookline.queryapi.view.PageStart;
import io.hookline.queryapi.view.peer.PeerClient;
import io.hookline.queryapi.view.peer.PeerParameters;
import io.hookline.queryapi.view.peer.PeerRecords;
import io.hookline.queryapi.view.peer.PeerView;
import jakarta.inject.Singleton;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The attempt log of another instance ({@code .../webhooks/{id}/attempts}): the filters travel as
 * {@code from_time} and {@code to_time} (epoch ms), {@code status} and {@code events}
 * (comma-separated), {@code order} and {@code execution_id} (empty for all); the attempts as Avro
 * {@code Attempt} records.
 */
@Singleton
public class AttemptsPeer extends PeerView<AttemptQuery, Attempt> {

  public static final String VIEW = "attempts";

  public AttemptsPeer(PeerClient client) {
    super(client, VIEW, PeerRecords.of(io.hookline.avro.Attempt.class, AttemptRecords::toAvro,
        AttemptRecords::fromAvro));
  }

  @Override
  protected Map<String, String> filters(AttemptQuery query) {
    Map<String, String> filters = new LinkedHashMap<>();
    filters.put("from_time", Long.toString(query.fromTime()));
    filters.put("to_time", Long.toString(query.toTime()));
    filters.put("status", query.statuses().stream().map(Enum::name).sorted().collect(Collectors.joining(",")));
    filters.put("events", String.join(",", query.events()));
    filters.put("order", query.oldestFirst() ? "created_at" : "-created_at");
    filters.put("execution_id", query.executionId() == null ? "" : query.executionId());
    return filters;
  }

  @Override
  protected AttemptQuery read(String webhookId, Function<String, String> parameter, int limit, PageStart start) {
    Set<AttemptStatus> statuses = EnumSet.noneOf(AttemptStatus.class);
    for (String name : PeerParameters.names(parameter.apply("status"))) {
      try {
        statuses.add(AttemptStatus.valueOf(name));
      } catch (IllegalArgumentException e) {
        throw new InvalidFieldException("status", "'status' has an unknown status '" + name + "'");
      }
    }
    String order = parameter.apply("order");
    String execution = parameter.apply("execution_id");
    if (order != null && !order.equals("created_at") && !order.equals("-created_at")) {
      throw new InvalidFieldException("order", "'order' must be created_at or -created_at, was '" + order + "'");
    }
    return new AttemptQuery(webhookId, PeerParameters.epochMillis("from_time", parameter.apply("from_time")),
        PeerParameters.epochMillis("to_time", parameter.apply("to_time")),
        statuses, PeerParameters.names(parameter.apply("events")), "created_at".equals(order), limit, start,
        execution == null || execution.isEmpty() ? null : execution);
  }
}
