package io.hookline.dispatcher.application;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a paused webhook's executions in publish order through the end of its pause. The pause
 * parks what the webhook's lane holds and receives ({@link DeliveryLanes#pause}); those executions
 * come back through the retry-scheduler and the redeliveries topic a little after the pause ends,
 * and an execution that arrives meanwhile must not overtake them. So the lane counts the
 * executions it parks for the pause out, and back in as they return (parked records say why they
 * were parked), and until every one is back it is <em>draining</em>: a new execution of the webhook
 * waits behind them.
 *
 * <ul>
 *   <li>On the instance that receives the webhook's redeliveries ({@link WebhookOwnership}), the
 *       new executions are {@link #held} in memory and join the lane once the last parked one is
 *       back. More than {@code maxQueuedPerWebhook} held are parked too, due at once, behind the
 *       others (and counted out).
 *   <li>On any other instance the parked executions do not come back: a new execution is handed
 *       over behind them (parked, due at once), and the instance that receives them delivers them
 *       all in the order of the webhook's redeliveries partition. It stops handing over once
 *       {@link #PATIENCE} passed without one.
 * </ul>
 *
 * <p>A count can be lost (an execution that comes back to another instance after a rebalance, or a
 * duplicate): the lane stops waiting when none came back for {@link #PATIENCE} after the pause
 * ended, and delivers what it holds. Like the pause, the counts live in memory: after a restart the
 * webhook's new executions go out at once, beside the parked ones still coming back.
 *
 * <p>Not thread-safe: used under the lock of {@link DeliveryLanes}.
 */
final class PauseDrain {

  private static final Logger LOG = LoggerFactory.getLogger(PauseDrain.class);

  /** How long a draining webhook waits for the next parked execution to come back before it gives up. */
  static final Duration PATIENCE = Duration.ofSeconds(30);

  /** New executions waiting behind the parked ones, in order. */
  final ArrayDeque<DeliveryTask> held = new ArrayDeque<>();
  /** Executions parked for the pause and not back yet. */
  private int away;
  /** Epoch ms from which it stops waiting for them. */
  private long giveUpAt;
  /** The {@link #giveUpAt} a wake-up was asked for, so that held executions go on then even if nothing else happens. */
  private long wakeAskedFor;

  /**
   * While paused at {@code now} (until {@code pausedUntil}): parks the lane's {@code queue} and then
   * the held executions, in order, due when the pause ends; returns how many left the lane.
   */
  int parkIfPaused(ArrayDeque<DeliveryTask> queue, long pausedUntil, long now, List<Diversion> diverted) {
    if (pausedUntil <= now) {
      return 0;
    }
    return park(queue, pausedUntil, now, diverted) + park(held, pausedUntil, now, diverted);
  }

  /**
   * A new execution while {@link #draining}: held behind the parked ones if they come back to this
   * instance ({@code receivesRedeliveries}), with every held one parked (due now) once more than
   * {@code maxQueuedPerWebhook} are held; else handed over behind them (parked, due now). Returns
   * the change in the lane's executions (held ones count).
   */
  int waitBehind(DeliveryTask task, boolean receivesRedeliveries, IsolationLimits isolation, long now,
      List<Diversion> diverted) {
    if (!receivesRedeliveries) {
      diverted.add(new Diversion(task, DeliveryLanes.THROTTLED, now));
      parked(1, now, now);
      return 0;
    }
    held.addLast(task);
    return held.size() > isolation.maxQueuedPerWebhook() ? 1 - park(held, now, now, diverted) : 1;
  }

  /**
   * Once it no longer waits for parked executions at {@code now}, its held ones join the lane's
   * {@code queue}; until then a wake-up is asked of {@code wakeAt} for when it gives up.
   */
  void joinHeld(ArrayDeque<DeliveryTask> queue, long now, String webhookId, BiConsumer<String, Long> wakeAt) {
    if (held.isEmpty()) {
      return;
    }
    if (draining(now)) {
      if (wakeAskedFor != giveUpAt) {
        wakeAskedFor = giveUpAt;
        wakeAt.accept(webhookId, giveUpAt);
      }
      return;
    }
    if (away > 0) {
      LOG.warn("Webhook {}: {} executions parked for a pause did not come back within {}; its {} newer ones go on",
          webhookId, away, PATIENCE, held.size());
      away = 0;
    }
    queue.addAll(held);
    held.clear();
  }

  /** Neither waiting for parked executions nor holding any. */
  boolean idle(long now) {
    return held.isEmpty() && !draining(now);
  }

  /** Diverts {@code tasks}, in order, due at {@code dueAt}, and counts them out; returns how many. */
  private int park(ArrayDeque<DeliveryTask> tasks, long dueAt, long now, List<Diversion> diverted) {
    for (DeliveryTask t : tasks) {
      diverted.add(new Diversion(t, DeliveryLanes.THROTTLED, dueAt));
    }
    int count = tasks.size();
    tasks.clear();
    parked(count, dueAt, now);
    return count;
  }

  /** {@code count} executions were parked for the pause; they come back from {@code backAt} (epoch ms) on. */
  void parked(int count, long backAt, long now) {
    if (count == 0) {
      return;
    }
    if (now >= giveUpAt) {
      away = 0; // a count left from an earlier pause that was given up on
    }
    away += count;
    giveUpAt = Math.max(giveUpAt, Math.max(backAt, now) + PATIENCE.toMillis());
  }

  /** An execution parked for a pause came back at {@code now}. */
  void cameBack(long now) {
    if (away > 0 && now < giveUpAt) {
      away--;
      giveUpAt = Math.max(giveUpAt, now + PATIENCE.toMillis());
    }
  }

  /** Whether new executions must still wait behind parked ones at {@code now}. */
  boolean draining(long now) {
    return away > 0 && now < giveUpAt;
  }
}
