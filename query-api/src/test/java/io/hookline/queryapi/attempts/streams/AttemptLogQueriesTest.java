package io.hookline.queryapi.attempts.streams;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.queryapi.TestTokens;
import io.hookline.queryapi.attempts.AttemptQuery;
import io.hookline.queryapi.attempts.peer.AttemptsPeer;
import io.hookline.queryapi.auth.Caller;
import io.hookline.queryapi.config.QueryApiConfiguration;
import io.hookline.queryapi.view.PageStart;
import io.hookline.queryapi.view.StoreUnavailableException;
import io.hookline.queryapi.view.peer.PeerClient;
import io.hookline.queryapi.view.streams.QueryViewsStreams;
import io.hookline.queryapi.view.streams.StoreRouting;
import io.hookline.queryapi.view.streams.ViewRetention;
import io.hookline.runtime.HooklineConfiguration;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

/** The attempt log never answers "no attempts" while its Kafka Streams instance is not running. */
class AttemptLogQueriesTest {

  @Test
  void aLogThatIsNotRunningRefusesToAnswerInsteadOfReturningAnEmptyPage() {
    QueryApiConfiguration config = new QueryApiConfiguration();
    config.setQueryApplicationId("attempt-log-not-running-" + System.nanoTime());
    config.setStateDir(TestTokens.freshStateDir());
    HooklineConfiguration shared = new HooklineConfiguration();
    shared.setKafkaBootstrapServers("127.0.0.1:1");
    QueryViewsStreams streams = new QueryViewsStreams(config, shared, shared.topics());
    try {
      StoreRouting routing = new StoreRouting(streams.streams(), new HostInfo("127.0.0.1", 1),
          () -> Optional.of(new Caller("zylker", "token", false)));
      RoutedAttemptLog log = new RoutedAttemptLog(routing, shared.topics(),
          new AttemptLogQueries(new ViewRetention(Clock.systemUTC(), config)), new AttemptsPeer(new PeerClient(config)));

      assertThatThrownBy(() -> log.page(new AttemptQuery("w1", 0, Long.MAX_VALUE, Set.of(), Set.of(), false, 50,
          PageStart.offset(0))))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("not ready");
    } finally {
      streams.close();
    }
  }
}
