package io.hookline.queryapi.adapter.out.peer;

import io.hookline.avro.FailedExecution;
import io.hookline.queryapi.application.Caller;
import io.hookline.queryapi.application.FailedExecutionQuery;
import io.hookline.queryapi.application.StoreUnavailableException;
import io.hookline.queryapi.domain.InvalidFieldException;
import io.hookline.schemas.AvroSerde;
import jakarta.inject.Singleton;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
  public List<FailedExecution> page(HostInfo peer, Caller caller, FailedExecutionQuery query) {
    String path = PeerProtocol.webhookPath(caller.portal(), query.webhookId(), VIEW)
        + "?from_time=" + query.fromTime()
        + "&to_time=" + query.toTime()
        + "&limit=" + query.limit()
        + "&pageno=" + query.pageno()
        + (query.events().isEmpty() ? "" : "&events=" + PeerProtocol.queryValue(String.join(",", query.events())));
    byte[] body = client.get(peer, caller, path);
    try {
      return PeerProtocol.decode(body, SERDE);
    } catch (RuntimeException e) {
      throw new StoreUnavailableException("instance " + peer.host() + ":" + peer.port() + " answered an unreadable page (" + e.getMessage()
          + ")", e);
    }
  }

  /**
   * The unresolved failed execution {@code executionId} of the webhook from {@code peer}'s copy
   * (a list of at most one record); StoreUnavailableException when it cannot answer.
   */
  public Optional<FailedExecution> find(HostInfo peer, Caller caller, String webhookId, String executionId) {
    String path = PeerProtocol.webhookPath(caller.portal(), webhookId, VIEW) + "/" + PeerProtocol.segment(executionId);
    byte[] body = client.get(peer, caller, path);
    List<FailedExecution> found;
    try {
      found = PeerProtocol.decode(body, SERDE);
    } catch (RuntimeException e) {
      throw new StoreUnavailableException("instance " + peer.host() + ":" + peer.port()
          + " answered an unreadable lookup (" + e.getMessage() + ")", e);
    }
    return found.stream().findFirst();
  }

  /** The answer to a forwarded page request, or to a forwarded lookup (zero or one record). */
  public static byte[] encode(List<FailedExecution> page) {
    return PeerProtocol.encode(page, SERDE);
  }

  /** The query of a forwarded request, as {@link #page} wrote it; 400 naming a malformed parameter. */
  public static FailedExecutionQuery query(String webhookId, String fromTime, String toTime, String events,
      String limit, String pageno) {
    Set<String> eventNames = events == null || events.isEmpty()
        ? Set.of()
        : new LinkedHashSet<>(Arrays.asList(events.split(",", -1)));
    int pageSize = number("limit", limit);
    int page = number("pageno", pageno);
    if (pageSize < 1 || page < 1) {
      throw new InvalidFieldException("limit", "'limit' and 'pageno' must be positive");
    }
    return new FailedExecutionQuery(webhookId, time("from_time", fromTime), time("to_time", toTime), eventNames,
        pageSize, page);
  }

  private static long time(String name, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new InvalidFieldException(name, "'" + name + "' must be epoch milliseconds, was '" + value + "'");
    }
  }

  private static int number(String name, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new InvalidFieldException(name, "'" + name + "' must be a whole number, was '" + value + "'");
    }
  }
}
