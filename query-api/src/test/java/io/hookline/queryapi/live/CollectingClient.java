package io.hookline.queryapi.live;

import io.hookline.queryapi.live.domain.LiveChange;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A client of a live stream that takes only what it is told to: each item as
 * {@code "<execution id>@<position>"}, a heartbeat as {@code "@<position>"}; and whether the stream ended.
 */
public final class CollectingClient implements Subscriber<LiveEvent> {

  public final List<String> items = new CopyOnWriteArrayList<>();
  public final AtomicBoolean ended = new AtomicBoolean();
  volatile Subscription subscription;

  @Override
  public void onSubscribe(Subscription s) {
    subscription = s;
  }

  @Override
  public void onNext(LiveEvent e) {
    String execution = e.change() instanceof LiveChange.NewFailure f ? f.execution().executionId()
        : e.change() instanceof LiveChange.Resolution r ? r.executionId() : "";
    items.add(execution + "@" + e.position());
  }

  @Override
  public void onError(Throwable t) {
    ended.set(true);
  }

  @Override
  public void onComplete() {
    ended.set(true);
  }

  /** Takes every item, now and later. */
  public CollectingClient takeAll() {
    subscription.request(Long.MAX_VALUE);
    return this;
  }

  public void cancel() {
    subscription.cancel();
  }
}
