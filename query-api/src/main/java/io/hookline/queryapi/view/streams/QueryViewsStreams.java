package io.hookline.queryapi.view.streams;

import io.hookline.queryapi.config.QueryApiConfiguration;
import io.hookline.runtime.HooklineConfiguration;
import io.hookline.schemas.HooklineTopics;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka Streams instance behind the query views, the failed executions, the attempt log and
 * the delivery statistics ({@link QueryViewsTopology}): started at start-up, once the topic catalogue (every topic
 * created) is available, and closed on shutdown. Exactly-once processing ({@code exactly_once_v2})
 * keeps each view's stores consistent with each other and with the consumed offsets across
 * crashes. A record that cannot be decoded is logged and skipped rather than stopping the view. Instances with the
 * same application id share the partitions; each advertises its HTTP address
 * ({@code application.server}) so that {@link StoreRouting} can send a query to the instance that
 * holds the webhook's partition, and keeps standby copies of other instances' partitions.
 */
@Context
public class QueryViewsStreams {

  private static final Logger LOG = LoggerFactory.getLogger(QueryViewsStreams.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
  /** Kafka's default heartbeat interval, kept unless the session timeout calls for a shorter one. */
  private static final Duration MAX_HEARTBEAT_INTERVAL = Duration.ofSeconds(3);

  private final KafkaStreams streams;
  private final StandbyCopies standbys = new StandbyCopies();

  public QueryViewsStreams(QueryApiConfiguration config, HooklineConfiguration shared, HooklineTopics topics) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.getQueryApplicationId());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, shared.getKafkaBootstrapServers());
    props.put(StreamsConfig.STATE_DIR_CONFIG, config.getStateDir());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) shared.getTopicReplicationFactor());
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
    // Scale-out: where the other instances reach this one, and the standby copies they keep.
    props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, config.getQueryAdvertisedUrl());
    props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.getQueryStandbyReplicas());
    // How soon a silent instance's partitions move to the others; heartbeats a third of that.
    long sessionTimeoutMs = config.getQuerySessionTimeout().toMillis();
    props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), (int) sessionTimeoutMs);
    props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
        (int) Math.min(MAX_HEARTBEAT_INTERVAL.toMillis(), Math.max(1, sessionTimeoutMs / 3)));
    streams = new KafkaStreams(QueryViewsTopology.build(topics, config.getFailedRetention(), config.getStatsRetention()), props);
    streams.setStateListener((now, before) -> LOG.info("Query views: {} -> {}", before, now));
    streams.setStandbyUpdateListener(standbys);
    streams.start();
  }

  public KafkaStreams streams() {
    return streams;
  }

  /** Which of this instance's standby copies have caught up and may answer queries. */
  public StandbyCopies standbys() {
    return standbys;
  }

  @PreDestroy
  public void close() {
    streams.close(CLOSE_TIMEOUT);
  }
}
