package io.hookline.local;

import io.hookline.schemas.HooklineTopics;
import io.hookline.schemas.RetrySchedule;
import io.hookline.schemas.TopicSettings;
import java.nio.file.Path;
import java.util.List;

/**
 * What the local run prints once everything is up: the ready line, where the API, the console, broker,
 * dev token, logs and data are, and commands to try that work as printed (topic names follow the configured
 * prefix, the event names the dev token's portal).
 */
final class ReadyBanner {

  private ReadyBanner() {}

  static String text(
      LocalRunSettings settings,
      String topicPrefix,
      String api,
      String bootstrapServers,
      Path tokenFile,
      String token,
      List<String> logNames) {
    String portal = settings.portal();
    HooklineTopics topics =
        new HooklineTopics(TopicSettings.defaults().withPrefix(topicPrefix), RetrySchedule.parse("60s"));
    String eventsTopic = topics.events().name();
    String deadLetterTopic = topics.deadLetter().name();
    String event =
        "{\"portal\":\"" + portal + "\",\"app_id\":\"19367000000002043\","
            + "\"event\":\"conversation.operator.replied\",\"entity\":\"conversation\","
            + "\"entity_id\":\"19367000000130079\",\"entity_label\":{\"id\":\"19367000000130079\"},"
            + "\"payload\":{\"message\":\"Hello from Hookline\"}}";
    StringBuilder banner = new StringBuilder("\n");
    line(banner, LocalRun.READY_LINE + ".");
    line(banner, "");
    line(banner, "  API         " + api + "   (GET /health)");
    line(banner, "  Console     " + api + "/console/sign-in#token=" + token);
    line(banner, "              (open it in a browser to sign in with the dev token: a browser never sends the part after");
    line(banner, "              '#', so the token is in no request line or log; or open " + api + "/console/sign-in and paste it)");
    line(banner, "  Kafka       " + bootstrapServers + "   (publish events to " + eventsTopic + ")");
    line(banner, "  Dev token   portal '" + portal + "', scopes " + DevToken.SCOPES + ", valid "
        + DevToken.VALIDITY.toDays() + " days, saved in " + LocalRun.display(tokenFile) + ":");
    line(banner, "              " + token);
    line(banner, "  Logs        " + LocalRun.display(settings.logDir()) + "/{" + String.join(",", logNames) + "}.log");
    line(banner, "  Data        " + LocalRun.display(settings.dataDir()) + "   (kept between runs; delete it to start afresh)");
    line(banner, "");
    line(banner, "Try it:");
    line(banner, "  TOKEN=$(cat " + LocalRun.display(tokenFile) + ")");
    line(banner, "  curl -s -X POST " + api + "/api/v2/" + portal + "/webhooks \\");
    line(banner, "    -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' \\");
    line(banner, "    -d '{\"url\":\"http://127.0.0.1:9000/hook\",\"events\":[\"conversation.operator.replied\"]}'");
    line(banner, "  echo '" + event + "' \\");
    line(banner, "    | kcat -P -b " + bootstrapServers + " -t " + eventsTopic + " -k " + portal);
    line(banner, "  kcat -C -b " + bootstrapServers + " -t " + deadLetterTopic + " -f 'webhook %k  %h\\n'"
        + "   # failed executions, after the last retry");
    line(banner, "");
    line(banner, "Stop with Ctrl-C.");
    return banner.toString();
  }

  private static void line(StringBuilder text, String line) {
    text.append(line).append('\n');
  }
}
