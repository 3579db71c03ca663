package io.hookline.queryapi.live;

/** As many live streams are open on this instance as it allows; the client should try again later. */
public final class LiveStreamsFullException extends RuntimeException {

  public LiveStreamsFullException(int max) {
    super("This instance serves its maximum of " + max + " live streams (HOOKLINE_LIVE_STREAMS_MAX); try again later");
  }
}
