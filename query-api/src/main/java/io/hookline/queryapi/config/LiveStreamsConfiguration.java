package io.hookline.queryapi.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * The live failure streams' keys ({@code GET /api/v2/{screenname}/failures/stream}), bound from
 * {@code hookline} in application.yml; each overridable by its {@code HOOKLINE_*} environment variable.
 */
@ConfigurationProperties("hookline")
public class LiveStreamsConfiguration {

  private int liveStreamsMax = 200;
  private Duration liveHeartbeat = Duration.ofSeconds(15);

  /** Live streams one instance serves at a time; more are answered 503 (HOOKLINE_LIVE_STREAMS_MAX). */
  public int getLiveStreamsMax() {
    return liveStreamsMax;
  }

  public void setLiveStreamsMax(int liveStreamsMax) {
    if (liveStreamsMax < 1) {
      throw new IllegalArgumentException("hookline.live-streams-max must be at least 1, was " + liveStreamsMax);
    }
    this.liveStreamsMax = liveStreamsMax;
  }

  /** How often an idle live stream gets a heartbeat comment (HOOKLINE_LIVE_HEARTBEAT). */
  public Duration getLiveHeartbeat() {
    return liveHeartbeat;
  }

  public void setLiveHeartbeat(Duration liveHeartbeat) {
    if (liveHeartbeat.isNegative() || liveHeartbeat.isZero()) {
      throw new IllegalArgumentException("hookline.live-heartbeat must be positive, was " + liveHeartbeat);
    }
    this.liveHeartbeat = liveHeartbeat;
  }
}
