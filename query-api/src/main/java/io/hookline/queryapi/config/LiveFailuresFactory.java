package io.hookline.queryapi.config;

import io.hookline.queryapi.live.FailureLogReader;
import io.hookline.queryapi.live.LiveFailureStreams;
import io.hookline.queryapi.live.kafka.DeadLetterTail;
import io.hookline.queryapi.live.kafka.KafkaFailureLogReader;
import io.hookline.runtime.HooklineConfiguration;
import io.hookline.schemas.HooklineTopics;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live failure streams of this instance and the one tail of the dead-letter topic feeding them,
 * started with the application (so a stream opened at any time starts from a known position) and
 * closed on shutdown, which ends every open stream.
 */
@Factory
public class LiveFailuresFactory {

  private static final Logger LOG = LoggerFactory.getLogger(LiveFailuresFactory.class);
  /** Items waiting for one client at most; a client further behind is closed and resumes. */
  static final int ITEMS_PER_STREAM = 1_000;

  private static Map<String, Object> clientProps(HooklineConfiguration shared) {
    // No JMX MBeans, as for every client of the query API (KafkaClientsFactory).
    return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, shared.getKafkaBootstrapServers(),
        CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG, "");
  }

  @Singleton
  @Bean(preDestroy = "close")
  LiveFailureStreams liveFailureStreams(LiveStreamsConfiguration live, QueryApiConfiguration config,
      HooklineConfiguration shared, HooklineTopics topics, Clock clock) {
    if (shared.getTopicRetention().compareTo(config.getFailedRetention()) < 0) {
      LOG.warn("hookline.topic-retention ({}) is shorter than hookline.failed-retention ({}): a live stream resumed"
          + " after the topic dropped a failure misses it", shared.getTopicRetention(), config.getFailedRetention());
    }
    FailureLogReader log = new KafkaFailureLogReader(topics.deadLetter(), clientProps(shared),
        config.getFailedRetention(), clock);
    return new LiveFailureStreams(live.getLiveStreamsMax(), ITEMS_PER_STREAM, live.getLiveHeartbeat(), log);
  }

  @Context
  @Bean(preDestroy = "close")
  DeadLetterTail deadLetterTail(LiveFailureStreams streams, HooklineConfiguration shared, HooklineTopics topics) {
    return new DeadLetterTail(topics.deadLetter(), clientProps(shared), streams, KafkaClientsFactory.STARTUP_TIMEOUT,
        DeadLetterTail.PARTITION_CHECK);
  }
}
