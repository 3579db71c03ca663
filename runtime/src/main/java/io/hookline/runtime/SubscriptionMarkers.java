package io.hookline.runtime;

import io.hookline.schemas.SubscriptionMarkerHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes subscription markers ({@link SubscriptionMarkerHeaders}): after a change of the webhooks or
 * event types topic is committed, one empty record with the marker header on every partition of
 * the given topics (the events topic), each acknowledged by the broker before the change is
 * answered. An event published after the answer lands behind the marker in its
 * partition, and the dispatcher catches its subscriptions up when it reads a marker, so that event
 * is matched with the change applied.
 *
 * <p>Rounds are coalesced: a call to {@link #mark} is satisfied by the first round that starts after
 * it, and every call made while a round is under way shares the next one, so a burst of changes
 * costs a few rounds, not one per change. Each round looks the partitions up afresh, so partitions
 * added to a topic get markers at once. One thread writes the rounds, one after another.
 */
public final class SubscriptionMarkers implements AutoCloseable {

  private final Producer<byte[], byte[]> producer;
  private final Admin admin;
  private final List<String> topics;
  private final byte[] writer;
  private final Duration timeout;
  private final ExecutorService thread;
  private final Object lock = new Object();
  private CompletableFuture<Void> underWay;
  private CompletableFuture<Void> next;

  /**
   * Marking every partition of {@code topics} through {@code producer} (idempotent, acks=all), the
   * header's value naming {@code writer}; {@code timeout} bounds a round's look-up and writes.
   */
  public SubscriptionMarkers(Producer<byte[], byte[]> producer, Admin admin, List<String> topics, String writer,
      Duration timeout) {
    this.producer = producer;
    this.admin = admin;
    this.topics = List.copyOf(topics);
    this.writer = writer.getBytes(StandardCharsets.UTF_8);
    this.timeout = timeout;
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "subscription-markers");
      t.setDaemon(true);
      return t;
    });
  }

  /** Completes once a round of markers that started after this call is acknowledged on every partition. */
  public CompletableFuture<Void> mark() {
    CompletableFuture<Void> mine;
    synchronized (lock) {
      if (underWay != null) {
        if (next == null) {
          next = new CompletableFuture<>();
        }
        return next;
      }
      underWay = new CompletableFuture<>();
      mine = underWay;
    }
    start(mine);
    return mine;
  }

  /** Marks (see {@link #mark}) and waits up to {@code wait}. */
  public void markAndWait(Duration wait) throws TimeoutException, ExecutionException, InterruptedException {
    mark().get(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void start(CompletableFuture<Void> round) {
    try {
      thread.execute(() -> write(round));
    } catch (RejectedExecutionException closed) {
      round.completeExceptionally(new IllegalStateException("Subscription markers are closed", closed));
      finished();
    }
  }

  /** On the writer thread: one marker per partition of every topic, then the next round if one waits. */
  private void write(CompletableFuture<Void> round) {
    try {
      long deadline = System.nanoTime() + timeout.toNanos();
      Map<String, TopicDescription> described = admin
          .describeTopics(topics, new DescribeTopicsOptions().timeoutMs((int) timeout.toMillis()))
          .allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      List<Future<RecordMetadata>> sends = new ArrayList<>();
      for (String topic : topics) {
        for (var partition : described.get(topic).partitions()) {
          RecordHeaders headers = new RecordHeaders();
          headers.add(SubscriptionMarkerHeaders.CHANGED, writer);
          sends.add(producer.send(new ProducerRecord<byte[], byte[]>(topic, partition.partition(), null, null, headers)));
        }
      }
      for (Future<RecordMetadata> send : sends) {
        send.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
      round.complete(null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      round.completeExceptionally(e);
    } catch (ExecutionException e) {
      round.completeExceptionally(e.getCause());
    } catch (RuntimeException | TimeoutException e) {
      round.completeExceptionally(e);
    } finally {
      finished();
    }
  }

  private void finished() {
    CompletableFuture<Void> following;
    synchronized (lock) {
      following = next;
      next = null;
      underWay = following;
    }
    if (following != null) {
      start(following);
    }
  }

  /** Fails rounds not written yet; does not close the producer or the admin client. */
  @Override
  public void close() {
    thread.shutdownNow();
    IllegalStateException closed = new IllegalStateException("Subscription markers are closed");
    synchronized (lock) {
      for (CompletableFuture<Void> round : new CompletableFuture[] {underWay, next}) {
        if (round != null) {
          round.completeExceptionally(closed);
        }
      }
    }
  }
}
