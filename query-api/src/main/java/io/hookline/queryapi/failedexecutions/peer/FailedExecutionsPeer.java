package io.hookline.queryapi.failedexecutions.peer;

import io.hookline.avro.FailedExecution;
import io.hookline.queryapi.auth.Caller;
import io.hookline.queryapi.failedexecutions.FailedExecutionQuery;
import io.hookline.queryapi.view.Page;
import io.hookline.queryapi.view.StoreUnavailableException;
import io.hookline.queryapi.view.peer.PeerClient;
import io.hookline.queryapi.view.peer.PeerPages;
import io.hookline.queryapi.view.peer.PeerParameters;
import io.hookline.queryapi.view.peer.PeerProtocol;
import io.hookline.schemas.AvroSerde;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The failed-executions view of another instance: {@code GET
 * /internal/v1/{portal}/webhooks/{id}/failed-executions} with the query as parameters, answered
 * with the page as Avro records. {@link #query} reads those parameters back on the answering side.
 */
@Singleton
public class FailedExecutionsPeer {

  public static final String VIEW = "failed-executions";

  private static final AvroSerde<FailedExecution> SERDE = AvroSerde.of(FailedExecution.class);

  private final PeerClient client;

  public FailedExecutionsPeer(PeerClient client) {
    this.client = client;
  }

  /** The page of {@code query} from {@code peer}'s copy; StoreUnavailableException when it cannot answer. */
  public Page<FailedExecution> page(HostInfo peer, Caller caller, FailedExecutionQuery query) {
    String path = PeerProtocol.webhookPath(caller.portal(), query.webhookId(), VIEW)
        + "?from_time=" + query.fromTime()
        + "&to_time=" + query.toTime()
        + "&limit=" + query.limit()
        + "&" + PeerPages.START + "=" + PeerPages.startParameter(query.start())
        + (query.events().isEmpty() ? "" : "&events=" + PeerProtocol.queryValue(String.join(",", query.events())));
    return client.get(peer, caller, path, "a page", body -> PeerPages.decode(body, SERDE));
  }

  /**
   * The unresolved failed execution {@code executionId} of the webhook from {@code peer}'s copy
   * (a list of at most one record); StoreUnavailableException when it cannot answer.
   */
  public Optional<FailedExecution> find(HostInfo peer, Caller caller, String webhookId, String executionId) {
    String path = PeerProtocol.webhookPath(caller.portal(), webhookId, VIEW) + "/" + PeerProtocol.segment(executionId);
    return client.get(peer, caller, path, "a lookup", body -> PeerProtocol.decode(body, SERDE)).stream().findFirst();
  }

  /** The answer to a forwarded lookup (zero or one record). */
  public static byte[] encode(List<FailedExecution> found) {
    return PeerProtocol.encode(found, SERDE);
  }

  /** The answer to a forwarded page request, with where the next and previous pages start. */
  public static byte[] encode(Page<FailedExecution> page) {
    return PeerPages.encode(page, SERDE);
  }

  /** The query of a forwarded request, as {@link #page} wrote it; 400 naming a malformed parameter. */
  public static FailedExecutionQuery query(String webhookId, String fromTime, String toTime, String events,
      String limit, String start) {
    return new FailedExecutionQuery(webhookId, PeerParameters.epochMillis("from_time", fromTime),
        PeerParameters.epochMillis("to_time", toTime), PeerParameters.names(events),
        PeerParameters.positive("limit", limit), PeerPages.start(start));
  }

}
