package io.hookline.queryapi.view.streams;

import io.hookline.queryapi.config.QueryApiConfiguration;
import io.hookline.runtime.HooklineConfiguration;
import io.hookline.schemas.HooklineTopics;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.core.annotation.Order;
import io.micronaut.core.order.Ordered;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka Streams instance behind the query views, the failed executions, the attempt log and
 * the delivery statistics ({@link QueryViewsTopology}): started at start-up, once the topic catalogue (every topic
 * created) is available, and closed on shutdown. Exactly-once processing ({@code exactly_once_v2})
 * keeps each view's stores consistent with each other and with the consumed offsets across
 * crashes. A record that cannot be decoded is skipped rather than stopping the view, and copied to the
 * invalid-records topic with its reason ({@link UndecodableRecordHandler}). Instances with the
 * same application id share the partitions; each advertises its HTTP address
 * ({@code application.server}) so that {@link StoreRouting} can send a query to the instance that
 * holds the webhook's partition, and keeps standby copies of other instances' partitions.
 *
 * <p>The instance is created and started on a thread of its own ({@value #START_THREAD}): starting
 * opens the RocksDB stores of every task found in the state folder, which takes a second or more,
 * while the rest of start-up (loading the webhooks and event types, the HTTP server) goes on. It is
 * the first bean created at start-up, so that it starts as soon as the topics exist. Start-up
 * fails when the instance cannot be created or started: the server's start waits for it ({@link
 * #onApplicationEvent}). Until the views run, the readiness probe is down and a query answers 503
 * with {@code Retry-After}.
 */
@Context
@Order(Ordered.HIGHEST_PRECEDENCE)
public class QueryViewsStreams implements ApplicationEventListener<ServerStartupEvent> {

  private static final Logger LOG = LoggerFactory.getLogger(QueryViewsStreams.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
  /** Kafka's default heartbeat interval, kept unless the session timeout calls for a shorter one. */
  private static final Duration MAX_HEARTBEAT_INTERVAL = Duration.ofSeconds(3);
  static final String START_THREAD = "query-views-start";

  private final CompletableFuture<KafkaStreams> streams;
  private final StandbyCopies standbys = new StandbyCopies();

  public QueryViewsStreams(QueryApiConfiguration config, HooklineConfiguration shared, HooklineTopics topics) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.getQueryApplicationId());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, shared.getKafkaBootstrapServers());
    props.put(StreamsConfig.STATE_DIR_CONFIG, config.getStateDir());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) shared.getTopicReplicationFactor());
    // The changelog and repartition topics Streams creates get the same min.insync.replicas as ours.
    props.put(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG), Short.toString(shared.getTopicMinIsr()));
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, UndecodableRecordHandler.class);
    props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics.eventsInvalid().name());
    // Scale-out: where the other instances reach this one, and the standby copies they keep.
    props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, config.getQueryAdvertisedUrl());
    props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.getQueryStandbyReplicas());
    // Static membership under HOOKLINE_INSTANCE_ID (Kafka Streams appends "-<thread>" to it): a
    // restarted instance takes its tasks back at once. Only the main consumer joins the group.
    shared.groupMembership().instanceId().ifPresent(id ->
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), id));
    // How soon a silent instance's partitions move to the others; heartbeats a third of that.
    long sessionTimeoutMs = config.getQuerySessionTimeout().toMillis();
    props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), (int) sessionTimeoutMs);
    props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
        (int) Math.min(MAX_HEARTBEAT_INTERVAL.toMillis(), Math.max(1, sessionTimeoutMs / 3)));
    // No JMX MBeans for the Streams client and its embedded clients: nothing reads them (metrics go
    // through Micrometer's binder, which reads the clients' own registries), and registering one
    // MBean per metric group on every sensor change is a good part of opening the stores.
    props.put(CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG, "");
    Topology topology = QueryViewsTopology.build(topics, config.getFailedRetention(), config.getStatsRetention());
    streams = CompletableFuture.supplyAsync(() -> start(topology, props), task -> {
      Thread thread = new Thread(task, START_THREAD);
      thread.setDaemon(true);
      thread.start();
    });
  }

  private KafkaStreams start(Topology topology, Properties props) {
    KafkaStreams created = new KafkaStreams(topology, props);
    created.setStateListener((now, before) -> LOG.info("Query views: {} -> {}", before, now));
    created.setStandbyUpdateListener(standbys);
    // A broker away for a minute or more must not stop the views for good.
    created.setUncaughtExceptionHandler(new TransientFailureHandler());
    try {
      created.start();
    } catch (RuntimeException e) {
      created.close(CLOSE_TIMEOUT);
      throw e;
    }
    return created;
  }

  /** The instance, once created and started (waits for it while it is being created). */
  public KafkaStreams streams() {
    try {
      return streams.join();
    } catch (CompletionException e) {
      throw new IllegalStateException("The query views could not start: " + e.getCause().getMessage(), e.getCause());
    }
  }

  /** Fails the server's start, as a failing bean would, when the instance could not be created. */
  @Override
  public void onApplicationEvent(ServerStartupEvent event) {
    streams();
  }

  /** Which of this instance's standby copies have caught up and may answer queries. */
  public StandbyCopies standbys() {
    return standbys;
  }

  /**
   * Closes the instance and leaves the group, static member or not: by default Kafka Streams stays
   * in it, and its tasks would move to the other instances only after the session timeout.
   */
  @PreDestroy
  public void close() {
    KafkaStreams created;
    try {
      created = streams.join();
    } catch (CompletionException e) {
      return;
    }
    created.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
        .withTimeout(CLOSE_TIMEOUT));
  }
}
