package io.hookline.queryapi.view.peer;

import io.hookline.queryapi.auth.Caller;
import io.hookline.queryapi.view.Page;
import io.hookline.queryapi.view.PageStart;
import io.hookline.queryapi.view.StoreUnavailableException;
import io.hookline.queryapi.view.WebhookPageQuery;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.streams.state.HostInfo;

/**
 * One view of another instance, both sides of the exchange: the asking side sends {@code GET
 * /internal/v1/{portal}/webhooks/{id}/{view}} with the query as parameters (its filters as the view
 * writes them, then {@code limit} and the {@link PeerPages#START start}) and reads the page back; the
 * answering side reads those parameters back ({@link #query}) and encodes its page or lookup
 * ({@link #answer}). One class for both, so they cannot disagree. A view says only how its filters
 * are written and read.
 */
public abstract class PeerView<Q extends WebhookPageQuery, V> {

  private final PeerClient client;
  private final String view;
  private final PeerRecords<V, ?> records;

  protected PeerView(PeerClient client, String view, PeerRecords<V, ?> records) {
    this.client = client;
    this.view = view;
    this.records = records;
  }

  /** The query's filters as parameters, names to plain (not yet URL-encoded) values, in order. */
  protected abstract Map<String, String> filters(Q query);

  /**
   * The query of a forwarded request whose filters {@code parameter} gives (null when absent), as
   * {@link #filters} wrote them; 400 naming a malformed parameter.
   */
  protected abstract Q read(String webhookId, Function<String, String> parameter, int limit, PageStart start);

  /** The page of {@code query} from {@code peer}'s copy; StoreUnavailableException when it cannot answer. */
  public Page<V> page(HostInfo peer, Caller caller, Q query) {
    StringBuilder path = new StringBuilder(PeerProtocol.webhookPath(caller.portal(), query.webhookId(), view))
        .append('?');
    filters(query).forEach((name, value) -> path.append(name).append('=').append(PeerProtocol.queryValue(value))
        .append('&'));
    path.append("limit=").append(query.limit())
        .append('&').append(PeerPages.START).append('=').append(PeerPages.startParameter(query.start()));
    return client.get(peer, caller, path.toString(), "a page of " + view, records::decodePage);
  }

  /**
   * Entry {@code id} of the webhook from {@code peer}'s copy (a list of at most one record);
   * StoreUnavailableException when it cannot answer.
   */
  public Optional<V> find(HostInfo peer, Caller caller, String webhookId, String id) {
    String path = PeerProtocol.webhookPath(caller.portal(), webhookId, view) + "/" + PeerProtocol.segment(id);
    return client.get(peer, caller, path, "a lookup in " + view, records::decode).stream().findFirst();
  }

  /** The query of a forwarded page request; 400 naming a malformed parameter. */
  public Q query(String webhookId, Function<String, String> parameter) {
    int limit = PeerParameters.positive("limit", parameter.apply("limit"));
    PageStart start = PeerPages.start(parameter.apply(PeerPages.START));
    return read(webhookId, parameter, limit, start);
  }

  /** The answer to a forwarded page request, with where the next and previous pages start. */
  public byte[] answer(Page<V> page) {
    return records.encodePage(page);
  }

  /** The answer to a forwarded lookup (zero or one record). */
  public byte[] answer(Optional<V> found) {
    return records.encode(found.stream().toList());
  }
}
