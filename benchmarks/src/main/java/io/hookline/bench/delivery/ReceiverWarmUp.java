package io.hookline.bench.delivery;

import java.net.http.HttpResponse;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Warms the receiver up (it runs in the benchmark's JVM) before the warm-up scenario, so that a
 * contender started cold is not also measured on the receiver's first, interpreted requests: the
 * benchmark's JVM POSTs to a tag of its own, a few requests in flight, and waits for every answer.
 */
final class ReceiverWarmUp {

  private static final String TAG = "receiver-warm-up";
  private static final int IN_FLIGHT = 64;

  private ReceiverWarmUp() {}

  static void run(BenchReceiver receiver, int requests) throws InterruptedException {
    long start = System.nanoTime();
    ArrivalRecorder recorder = new ArrivalRecorder(requests, 10);
    receiver.register(TAG, recorder);
    PeerHttp http = new PeerHttp();
    Semaphore slots = new Semaphore(IN_FLIGHT);
    try {
      for (int seq = 0; seq < requests; seq++) {
        if (!slots.tryAcquire(PeerHttp.TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS)) {
          throw new IllegalStateException("the receiver did not answer its warm-up requests");
        }
        int webhook = seq % 10;
        http.client.sendAsync(PeerHttp.request(receiver.url(TAG, webhook), BenchEvents.json(seq, webhook,
            BenchEvents.nowMicros())), HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> slots.release());
      }
      if (!slots.tryAcquire(IN_FLIGHT, PeerHttp.TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("the receiver did not answer its warm-up requests");
      }
    } finally {
      receiver.release(TAG);
    }
    BenchLog.log("Receiver warm-up: %,d requests (%,d arrived) in %,d ms", requests, recorder.delivered(),
        (System.nanoTime() - start) / 1_000_000);
  }
}
