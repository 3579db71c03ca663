package io.hookline.queryapi.attempts.peer;

import io.hookline.avro.Attempt;
import io.hookline.avro.AttemptStatus;
import io.hookline.queryapi.attempts.AttemptQuery;
import io.hookline.queryapi.auth.Caller;
import io.hookline.queryapi.domain.InvalidFieldException;
import io.hookline.queryapi.view.Page;
import io.hookline.queryapi.view.StoreUnavailableException;
import io.hookline.queryapi.view.peer.PeerClient;
import io.hookline.queryapi.view.peer.PeerPages;
import io.hookline.queryapi.view.peer.PeerParameters;
import io.hookline.queryapi.view.peer.PeerProtocol;
import io.hookline.schemas.AvroSerde;
import jakarta.inject.Singleton;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The attempt log of another instance: {@code GET /internal/v1/{portal}/webhooks/{id}/attempts}
 * with the query as parameters (times in epoch ms, statuses and events comma-separated, the order,
 * the limit and the {@link PeerPages#START start}), answered with the page ({@link PeerPages}).
 * {@link #query} reads those parameters back on the answering side.
 */
@Singleton
public class AttemptsPeer {

  public static final String VIEW = "attempts";

  private static final AvroSerde<Attempt> SERDE = AvroSerde.of(Attempt.class);

  private final PeerClient client;

  public AttemptsPeer(PeerClient client) {
    this.client = client;
  }

  /** The page of {@code query} from {@code peer}'s copy; StoreUnavailableException when it cannot answer. */
  public Page<Attempt> page(HostInfo peer, Caller caller, AttemptQuery query) {
    String path = PeerProtocol.webhookPath(caller.portal(), query.webhookId(), VIEW)
        + "?from_time=" + query.fromTime()
        + "&to_time=" + query.toTime()
        + "&status=" + query.statuses().stream().map(Enum::name).sorted().collect(Collectors.joining(","))
        + "&events=" + PeerProtocol.queryValue(String.join(",", query.events()))
        + "&order=" + (query.oldestFirst() ? "created_at" : "-created_at")
        + "&limit=" + query.limit()
        + "&" + PeerPages.START + "=" + PeerPages.startParameter(query.start());
    return client.get(peer, caller, path, "an attempt page", body -> PeerPages.decode(body, SERDE));
  }

  /** The answer to a forwarded page request. */
  public static byte[] encode(Page<Attempt> page) {
    return PeerPages.encode(page, SERDE);
  }

  /** The query of a forwarded request, as {@link #page} wrote it; 400 naming a malformed parameter. */
  public static AttemptQuery query(String webhookId, String fromTime, String toTime, String statuses, String events,
      String order, String limit, String start) {
    Set<AttemptStatus> statusSet = EnumSet.noneOf(AttemptStatus.class);
    for (String name : PeerParameters.names(statuses)) {
      try {
        statusSet.add(AttemptStatus.valueOf(name));
      } catch (IllegalArgumentException e) {
        throw new InvalidFieldException("status", "'status' has an unknown status '" + name + "'");
      }
    }
    if (order != null && !order.equals("created_at") && !order.equals("-created_at")) {
      throw new InvalidFieldException("order", "'order' must be created_at or -created_at, was '" + order + "'");
    }
    return new AttemptQuery(webhookId, PeerParameters.epochMillis("from_time", fromTime),
        PeerParameters.epochMillis("to_time", toTime), statusSet, PeerParameters.names(events),
        "created_at".equals(order), PeerParameters.positive("limit", limit), PeerPages.start(start));
  }

}
