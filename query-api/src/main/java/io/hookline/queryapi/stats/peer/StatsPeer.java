package io.hookline.queryapi.stats.peer;

import io.hookline.queryapi.auth.Caller;
import io.hookline.queryapi.stats.domain.StatsBucket;
import io.hookline.queryapi.stats.domain.StatsInterval;
import io.hookline.queryapi.stats.domain.StatsTotals;
import io.hookline.queryapi.stats.domain.WebhookSummary;
import io.hookline.queryapi.view.peer.PeerClient;
import io.hookline.queryapi.view.peer.PeerProtocol;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The delivery statistics of another instance, asked over its internal routes
 * ({@link InternalStatsController}) with the caller's token: a webhook's series
 * ({@code GET .../webhooks/{id}/stats?from_time&to_time&interval}), its totals
 * ({@code GET .../webhooks/{id}/stats/totals?from_time&to_time}) and the summaries of many webhooks
 * in one request ({@code POST .../stats}, the ids in the body, since a thousand ids do not fit a
 * request line). Times are epoch ms; bodies as {@link StatsWire} writes them.
 */
@Singleton
public class StatsPeer {

  static final String VIEW = "stats";
  static final String TOTALS = "totals";
  /** Ids per overview request, so that a request stays well under the server's largest body. */
  static final int MAX_IDS_BYTES = 32 * 1024;

  private final PeerClient client;

  public StatsPeer(PeerClient client) {
    this.client = client;
  }

  public List<StatsBucket> series(HostInfo peer, Caller caller, String webhookId, long from, long to,
      StatsInterval interval) {
    String path = PeerProtocol.webhookPath(caller.portal(), webhookId, VIEW) + "?from_time=" + from + "&to_time=" + to
        + "&interval=" + interval.label();
    return client.get(peer, caller, path, "a statistics series", StatsWire::readSeries);
  }

  public StatsTotals totals(HostInfo peer, Caller caller, String webhookId, long from, long to) {
    String path = PeerProtocol.webhookPath(caller.portal(), webhookId, VIEW) + "/" + TOTALS + "?from_time=" + from
        + "&to_time=" + to;
    return client.get(peer, caller, path, "statistics totals", StatsWire::readTotals);
  }

  /** The summaries of {@code webhookIds} held by {@code peer}; in as few requests as the body size allows. */
  public Map<String, WebhookSummary> overview(HostInfo peer, Caller caller, List<String> webhookIds, long from,
      long to) {
    String path = PeerProtocol.INTERNAL_PREFIX + PeerProtocol.segment(caller.portal()) + "/" + VIEW;
    Map<String, WebhookSummary> summaries = new HashMap<>();
    for (List<String> batch : batches(webhookIds)) {
      byte[] question = StatsWire.question(new StatsWire.OverviewQuestion(from, to, batch));
      summaries.putAll(client.post(peer, caller, path, question, "statistics summaries", StatsWire::readSummaries));
    }
    return summaries;
  }

  private static List<List<String>> batches(List<String> ids) {
    List<List<String>> batches = new ArrayList<>();
    List<String> batch = new ArrayList<>();
    int bytes = 0;
    for (String id : ids) {
      int size = id.getBytes(StandardCharsets.UTF_8).length + 2;
      if (!batch.isEmpty() && bytes + size > MAX_IDS_BYTES) {
        batches.add(batch);
        batch = new ArrayList<>();
        bytes = 0;
      }
      batch.add(id);
      bytes += size;
    }
    if (!batch.isEmpty()) {
      batches.add(batch);
    }
    return batches;
  }
}
