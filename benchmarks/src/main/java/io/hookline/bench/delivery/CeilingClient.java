package io.hookline.bench.delivery;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;

/**
 * The ceiling's JVM: the same HTTP client POSTs the same bodies from memory, no Kafka, with at most
 * {@code maxInFlight} requests in flight. Runs the phases of one contender in order (warm-up burst,
 * measured burst, fixed-rate phase: its paced warm-up then its latency phase, as one stream),
 * waiting for every answer before the next, then stays up until the benchmark stops it.
 *
 * <p>Arguments: receiver base URL, contender path, webhooks, max in flight, warm-up events, burst
 * events, rate per second, fixed-rate events (paced warm-up plus latency phase), and optionally the
 * fan-out: each event is POSTed to each of the {@code fanout} webhooks of its portal, and the events'
 * {@link EventShape} ({@link EventShape#arg}).
 */
public final class CeilingClient {

  private CeilingClient() {}

  public static void main(String[] args) throws Exception {
    HeapSampler.start();
    String base = args[0] + "/" + args[1] + "/";
    int webhooks = Integer.parseInt(args[2]);
    int maxInFlight = Integer.parseInt(args[3]);
    int warmup = Integer.parseInt(args[4]);
    int burst = Integer.parseInt(args[5]);
    int rate = Integer.parseInt(args[6]);
    int latencyEvents = Integer.parseInt(args[7]);
    int fanout = args.length > 8 ? Integer.parseInt(args[8]) : 1;
    EventShape shape = args.length > 9 ? EventShape.parse(args[9]) : EventShape.DEFAULT;
    int portals = webhooks / fanout;
    PeerHttp http = new PeerHttp();
    Semaphore slots = new Semaphore(maxInFlight);
    long seq = 0;
    for (int phase = 0; phase < 2; phase++) {
      int n = phase == 0 ? warmup : burst;
      List<byte[]> bodies = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int p = (int) ((seq + i) % portals);
        bodies.add(shape.json(seq + i, p, BenchEvents.nowMicros()));
      }
      for (int i = 0; i < n; i++) {
        int p = (int) ((seq + i) % portals);
        for (int j = 0; j < fanout; j++) {
          send(http, slots, base + (p * fanout + j), bodies.get(i));
        }
      }
      seq += n;
      slots.acquire(maxInFlight);
      slots.release(maxInFlight);
      System.out.println("ceiling: phase " + phase + " done");
    }
    long start = System.nanoTime();
    long interval = 1_000_000_000L / rate;
    for (int i = 0; i < latencyEvents; i++) {
      long due = start + i * interval;
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      int p = (int) ((seq + i) % portals);
      byte[] body = shape.json(seq + i, p, BenchEvents.nowMicros());
      for (int j = 0; j < fanout; j++) {
        send(http, slots, base + (p * fanout + j), body);
      }
    }
    slots.acquire(maxInFlight);
    slots.release(maxInFlight);
    System.out.println("ceiling: latency phase done");
    while (true) {
      LockSupport.park();
    }
  }

  private static void send(PeerHttp http, Semaphore slots, String url, byte[] body) throws InterruptedException {
    slots.acquire();
    http.client.sendAsync(PeerHttp.request(url, body), HttpResponse.BodyHandlers.discarding())
        .whenComplete((r, e) -> slots.release());
  }
}
