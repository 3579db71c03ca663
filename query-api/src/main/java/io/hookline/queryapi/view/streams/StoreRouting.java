package io.hookline.queryapi.view.streams;

import io.hookline.queryapi.auth.Caller;
import io.hookline.queryapi.auth.CurrentCaller;
import io.hookline.queryapi.config.QueryApiConfiguration;
import io.hookline.queryapi.view.ForwardedQueries;
import io.hookline.queryapi.view.StoreUnavailableException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a question about one key of a store to the instance that can answer it, so that every
 * query-api instance gives the same answer. A store's partitions are spread over the instances that
 * share the Kafka Streams application id; the key (as the store's input topic is keyed) decides
 * the partition, and Kafka Streams' metadata names its active owner and its standbys.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Only a RUNNING or REBALANCING instance with known metadata answers; while it starts, has
 *       no metadata for the key or no copy that can answer, the question fails with {@link
 *       StoreUnavailableException} (503 with Retry-After), never with an empty answer. During a
 *       rebalance the copies this instance keeps through it still answer, under the standby rule
 *       below, so a rebalance (an instance joining or lost) does not turn every query into a 503.
 *   <li>The active copy answers first: read here when this instance owns it, else asked of the
 *       owner over HTTP with the caller's own token. When it cannot answer (unreachable, restoring,
 *       refusing), a standby copy answers, this instance's own first: stale reads are allowed, but
 *       only from a copy that caught up with its changelog since it was assigned ({@link
 *       StandbyCopies}) and is at most {@value #STANDBY_ACCEPTABLE_LAG} records behind it, so a
 *       standby still filling up never passes for "no data".
 *   <li>A forwarded question ({@link Caller#forwarded()}) is answered from this instance's copy or
 *       fails; it is never forwarded again, so forwarding cannot loop. Without a caller (no HTTP
 *       request) nothing is forwarded either.
 * </ul>
 *
 * <p>One instance serves every store of the view's Kafka Streams application: {@link #route} gives
 * the route of one store, e.g. {@code route(FAILED_EXECUTIONS_STORE, deadLetter.keySerde().serializer())}.
 */
@Singleton
public class StoreRouting {

  /** Kafka Streams' own default acceptable.recovery.lag: the lag up to which it counts a copy caught up. */
  static final long STANDBY_ACCEPTABLE_LAG = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(StoreRouting.class);

  private final KafkaStreams streams;
  private final HostInfo self;
  private final CurrentCaller callers;
  private final StandbyCopies standbys;
  private volatile ForwardedQueries forwarded = ForwardedQueries.NONE;

  @Inject
  public StoreRouting(QueryViewsStreams streams, QueryApiConfiguration config, CurrentCaller callers) {
    this(streams.streams(), HostInfo.buildFromEndpoint(config.getQueryAdvertisedUrl()), callers, streams.standbys());
  }

  /** Routing over {@code streams}, whose standby copies answer only when complete but for the latest commit. */
  public StoreRouting(KafkaStreams streams, HostInfo self, CurrentCaller callers) {
    this(streams, self, callers, new StandbyCopies());
  }

  StoreRouting(KafkaStreams streams, HostInfo self, CurrentCaller callers, StandbyCopies standbys) {
    this.streams = streams;
    this.self = self;
    this.callers = callers;
    this.standbys = standbys;
  }

  /** Told of every question forwarded to another instance (monitoring). */
  @Inject
  void setForwardedQueries(ForwardedQueries forwarded) {
    this.forwarded = forwarded;
  }

  /** The route of {@code storeName}, whose input topic's keys are serialized with {@code keySerializer}. */
  public <K> Route<K> route(String storeName, Serializer<K> keySerializer) {
    return new Route<>(storeName, keySerializer);
  }

  /** This instance's address, as advertised to the others ({@code application.server}). */
  public HostInfo self() {
    return self;
  }

  static String address(HostInfo host) {
    return host.host() + ":" + host.port();
  }

  /** Reads the answer from this instance's copy of the key's partition. */
  @FunctionalInterface
  public interface LocalRead<T> {
    T read(PartitionStores stores);
  }

  /**
   * Asks another instance for the answer on behalf of {@code caller}; throws
   * {@link StoreUnavailableException} when that instance cannot answer.
   */
  @FunctionalInterface
  public interface PeerRead<T> {
    T read(HostInfo peer, Caller caller);
  }

  /** Reads the answers for {@code keys}, all of one partition, from this instance's copy of it. */
  @FunctionalInterface
  public interface LocalBatchRead<K, T> {
    Map<K, T> read(PartitionStores stores, List<K> keys);
  }

  /**
   * Asks another instance for the answers for {@code keys} on behalf of {@code caller}, in one
   * request; throws {@link StoreUnavailableException} when that instance cannot answer them all.
   */
  @FunctionalInterface
  public interface PeerBatchRead<K, T> {
    Map<K, T> read(HostInfo peer, Caller caller, List<K> keys);
  }

  /** The route of one store. Thread-safe. */
  public final class Route<K> {

    private final String storeName;
    private final Serializer<K> keySerializer;

    private Route(String storeName, Serializer<K> keySerializer) {
      this.storeName = storeName;
      this.keySerializer = keySerializer;
    }

    /** The answer for {@code key}: read here, or asked of its owner or a standby (see the class comment). */
    public <T> T answer(K key, LocalRead<T> local, PeerRead<T> peer) {
      KeyQueryMetadata owners = owners(key);
      Optional<Caller> caller = callers.get();
      boolean mayForward = caller.isPresent() && !caller.get().forwarded();
      List<String> failures = new ArrayList<>();
      for (HostInfo host : candidates(owners)) {
        boolean standby = !host.equals(owners.activeHost());
        try {
          if (host.equals(self)) {
            return readLocally(owners.partition(), standby, local);
          }
          if (mayForward) {
            forwarded.forwarded(storeName);
            return peer.read(host, caller.get());
          }
          failures.add(address(host) + ": not asked (" + (caller.isPresent() ? "a forwarded request" : "no caller") + ")");
        } catch (StoreUnavailableException e) {
          failures.add(address(host) + (standby ? " (standby): " : " (active): ") + e.getMessage());
          LOG.debug("{} partition {}: {} cannot answer ({}); trying the next copy", storeName, owners.partition(),
              address(host), e.getMessage());
        }
      }
      LOG.warn("No copy of {} partition {} can answer now: {}", storeName, owners.partition(), failures);
      throw new StoreUnavailableException("The " + storeName + " view cannot answer for this webhook right now"
          + " (its partition is moving or its owner is unreachable); try again shortly", null);
    }

    /**
     * The answers for many keys at once, one per key, with the same rules as {@link #answer}: the
     * keys are grouped by the instance that holds them, this instance's are read here a partition at
     * a time, and every other instance is asked once for all of its keys. Keys whose copy cannot
     * answer move on to their next copy (standbys) in a further round; a key no copy can answer
     * fails the whole question with {@link StoreUnavailableException}.
     */
    public <T> Map<K, T> answerAll(Collection<K> keys, LocalBatchRead<K, T> local, PeerBatchRead<K, T> peer) {
      Map<K, KeyQueryMetadata> owners = new LinkedHashMap<>();
      Map<K, List<HostInfo>> copies = new HashMap<>();
      for (K key : keys) {
        KeyQueryMetadata metadata = owners(key);
        owners.put(key, metadata);
        copies.put(key, candidates(metadata));
      }
      Optional<Caller> caller = callers.get();
      boolean mayForward = caller.isPresent() && !caller.get().forwarded();
      Map<K, T> answers = new HashMap<>();
      Map<K, Integer> tried = new HashMap<>();
      List<K> pending = new ArrayList<>(owners.keySet());
      List<String> failures = new ArrayList<>();
      while (!pending.isEmpty()) {
        Map<HostInfo, List<K>> byHost = new LinkedHashMap<>();
        for (K key : pending) {
          int next = tried.getOrDefault(key, 0);
          if (next >= copies.get(key).size()) {
            LOG.warn("No copy of {} partition {} can answer now: {}", storeName, owners.get(key).partition(), failures);
            throw new StoreUnavailableException("The " + storeName + " view cannot answer for some webhooks right now"
                + " (a partition is moving or its owner is unreachable); try again shortly", null);
          }
          byHost.computeIfAbsent(copies.get(key).get(next), h -> new ArrayList<>()).add(key);
        }
        List<K> unanswered = new ArrayList<>();
        byHost.forEach((host, hostKeys) -> {
          try {
            if (host.equals(self)) {
              unanswered.addAll(readAllLocally(hostKeys, owners, local, answers, failures));
            } else if (mayForward) {
              Map<K, T> answered = peer.read(host, caller.get(), hostKeys);
              if (!answered.keySet().containsAll(hostKeys)) {
                throw new StoreUnavailableException("instance " + address(host) + " left some keys unanswered", null);
              }
              hostKeys.forEach(k -> answers.put(k, answered.get(k)));
            } else {
              failures.add(address(host) + ": not asked (" + (caller.isPresent() ? "a forwarded request" : "no caller")
                  + ")");
              unanswered.addAll(hostKeys);
            }
          } catch (StoreUnavailableException e) {
            failures.add(address(host) + ": " + e.getMessage());
            LOG.debug("{}: {} cannot answer for {} keys ({}); trying their next copies", storeName, address(host),
                hostKeys.size(), e.getMessage());
            unanswered.addAll(hostKeys);
          }
        });
        unanswered.forEach(k -> tried.merge(k, 1, Integer::sum));
        pending = unanswered;
      }
      return answers;
    }

    /** Reads here the keys this instance holds, a partition at a time; returns those it could not. */
    private <T> List<K> readAllLocally(List<K> keys, Map<K, KeyQueryMetadata> owners, LocalBatchRead<K, T> local,
        Map<K, T> answers, List<String> failures) {
      Map<Integer, List<K>> byPartition = new LinkedHashMap<>();
      keys.forEach(k -> byPartition.computeIfAbsent(owners.get(k).partition(), p -> new ArrayList<>()).add(k));
      List<K> unanswered = new ArrayList<>();
      byPartition.forEach((partition, partitionKeys) -> {
        boolean standby = !self.equals(owners.get(partitionKeys.get(0)).activeHost());
        try {
          answers.putAll(readLocally(partition, standby, stores -> local.read(stores, partitionKeys)));
        } catch (StoreUnavailableException e) {
          failures.add(address(self) + (standby ? " (standby): " : " (active): ") + e.getMessage());
          unanswered.addAll(partitionKeys);
        }
      });
      return unanswered;
    }

    private KeyQueryMetadata owners(K key) {
      KafkaStreams.State state = streams.state();
      if (!state.isRunningOrRebalancing()) {
        throw notReady(state.name());
      }
      KeyQueryMetadata owners;
      try {
        owners = streams.queryMetadataForKey(storeName, key, keySerializer);
      } catch (InvalidStateStoreException | IllegalStateException e) {
        throw notReady(e.getMessage());
      }
      if (owners == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owners)
          || HostInfo.unavailable().equals(owners.activeHost())) {
        throw notReady("no owner known for the key yet");
      }
      return owners;
    }

    private StoreUnavailableException notReady(String why) {
      return new StoreUnavailableException("The " + storeName + " view is not ready (" + why + "); try again shortly",
          null);
    }

    /** The active copy first, then the standbys, this instance's own before the others. */
    private List<HostInfo> candidates(KeyQueryMetadata owners) {
      List<HostInfo> hosts = new ArrayList<>();
      hosts.add(owners.activeHost());
      if (owners.standbyHosts().contains(self)) {
        hosts.add(self);
      }
      owners.standbyHosts().stream()
          .filter(h -> !h.equals(self) && !h.equals(owners.activeHost()))
          .sorted((a, b) -> a.toString().compareTo(b.toString()))
          .forEach(hosts::add);
      return hosts;
    }

    private <T> T readLocally(int partition, boolean standby, LocalRead<T> local) {
      // While a rebalance runs, Kafka Streams serves only "stale" reads; a copy this instance keeps
      // through it (its active or standby) answers when it is caught up, as a standby would.
      boolean stale = standby || streams.state() != KafkaStreams.State.RUNNING;
      if (stale) {
        requireCaughtUp(partition);
      }
      try {
        return local.read(new PartitionStores(streams, partition, stale));
      } catch (InvalidStateStoreException e) {
        throw new StoreUnavailableException("this instance's " + (standby ? "standby" : "active")
            + " copy of partition " + partition + " cannot be read now (" + e.getMessage() + ")", e);
      }
    }

    /**
     * Fails unless this instance's copy of the partition may answer a stale read: every store of
     * the partition, not only this route's, since a read may touch any of them (the statistics read
     * the hour store as well as the minute store), and their changelogs fill at their own pace.
     */
    private void requireCaughtUp(int partition) {
      Map<String, Map<Integer, LagInfo>> lags;
      try {
        lags = streams.allLocalStorePartitionLags();
      } catch (KafkaException e) {
        throw new StoreUnavailableException("the lag of the standby copy is unknown (" + e.getMessage() + ")", e);
      }
      if (lags.getOrDefault(storeName, Map.of()).get(partition) == null) {
        throw new StoreUnavailableException("the copy of partition " + partition + " is not on this instance", null);
      }
      lags.forEach((store, byPartition) -> {
        LagInfo lag = byPartition.get(partition);
        if (lag != null && !standbys.mayAnswer(store, partition, lag.currentOffsetPosition(), lag.endOffsetPosition())) {
          throw new StoreUnavailableException("the copy of " + store + " partition " + partition + " is "
              + lag.offsetLag() + " records behind, or has not caught up since it was assigned here", null);
        }
      });
    }
  }
}
