package io.hookline.queryapi.failedexecutions.peer;

import io.hookline.queryapi.failedexecutions.FailedExecutionQuery;
import io.hookline.queryapi.failedexecutions.domain.FailedExecution;
import io.hookline.queryapi.failedexecutions.kafka.FailedExecutionRecords;
import io.hookline.queryapi.view.PageStart;
import io.hookline.queryapi.view.peer.PeerClient;
import io.hookline.queryapi.view.peer.PeerParameters;
import io.hookline.queryapi.view.peer.PeerRecords;
import io.hookline.queryapi.view.peer.PeerView;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The failed-executions view of another instance ({@code .../webhooks/{id}/failed-executions}, and
 * {@code .../failed-executions/{executionId}} for one execution): the filters travel as
 * {@code from_time} and {@code to_time} (epoch ms) and {@code events} (comma-separated); the
 * failures as Avro {@code FailedExecution} records.
 */
@Singleton
public class FailedExecutionsPeer extends PeerView<FailedExecutionQuery, FailedExecution> {

  public static final String VIEW = "failed-executions";

  public FailedExecutionsPeer(PeerClient client) {
    super(client, VIEW, PeerRecords.of(io.hookline.avro.FailedExecution.class, FailedExecutionRecords::toAvro,
        FailedExecutionRecords::fromAvro));
  }

  @Override
  protected Map<String, String> filters(FailedExecutionQuery query) {
    Map<String, String> filters = new LinkedHashMap<>();
    filters.put("from_time", Long.toString(query.fromTime()));
    filters.put("to_time", Long.toString(query.toTime()));
    filters.put("events", String.join(",", query.events()));
    return filters;
  }

  @Override
  protected FailedExecutionQuery read(String webhookId, Function<String, String> parameter, int limit,
      PageStart start) {
    return new FailedExecutionQuery(webhookId, PeerParameters.epochMillis("from_time", parameter.apply("from_time")),
        PeerParameters.epochMillis("to_time", parameter.apply("to_time")),
        PeerParameters.names(parameter.apply("events")), limit, start);
  }
}
