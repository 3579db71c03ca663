package io.hookline.queryapi.http.hostile;

import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The catalogue of bad values: wrong types, out-of-range and huge numbers, unicode with NUL and lone
 * surrogates, percent-encoded junk, injection strings, huge and deeply nested JSON. Each is picked by
 * a seeded {@link SplittableRandom}, so a request is a pure function of the seed and its index.
 */
final class HostileValues {

  /** Longer than the largest body the API accepts (64 KiB). */
  static final int OVER_BODY_LIMIT = 64 * 1024 + 1024;
  /** Longer than the largest header block the API accepts (16 KiB). */
  static final int OVER_HEADER_LIMIT = 17 * 1024;
  /** Longer than the longest request line the API accepts (8 KiB). */
  static final int OVER_LINE_LIMIT = 9 * 1024;

  private static final List<String> TEXTS = List.of(
      "", " ", "null", "undefined", "true", "[]", "{}", "-1", "0", "-0", "1.5", "1e400", "-1e400", "1e-400",
      "9223372036854775807", "9223372036854775808", "-9223372036854775809", "2147483648", "-2147483649",
      "99999999999999999999999999999999999999", "NaN", "Infinity", "-Infinity", "0x7fffffff", "1_000", "+5",
      "１２３", "١٢٣", "٣", "5\u0000", "\u0000", "a\u0000b", "\ud800", "\udfff", "x\ud83d", "😀", "\u202eevil",
      "e\u0301\u0301\u0301", "\ufeffbom", "\u00a0", "\r\n", "\t", "'", "\"", "\\", "' OR '1'='1", "<script>x</script>",
      "${jndi:ldap://127.0.0.1/a}", "{{7*7}}", "../../../../etc/passwd", "..", ".", "%", "%zz", "%00", "%u0041",
      "a,,b", ",", ",,,,", "a,", "2019-13-45T25:61:61Z", "+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z",
      "2026-11-01T08:00:00+19:00", "2026-11-01T08:00:00+18:00", "2026-02-30", "0000-00-00", "9999-99-99",
      "2026-11-01T08:00", "1970-01-01", "999999999999999999", "1000000000000000000", "created_at,-created_at",
      "ERROR,ERROR", "error", "sent", "TIMEOUT ", "1m", "0m", "1y", "-1h", "1H", "7d", "PT1H");

  private static final List<String> RAW_PERCENT = List.of(
      "%", "%zz", "%0", "%00", "%C0%AF", "%ED%A0%80", "%ED%BF%BF", "%FF%FE", "%C3%28", "%E2%82", "%F4%90%80%80",
      "%25%32%35", "%2e%2e%2f", "%2F", "%5C", "%0D%0A", "%u202E", "%%%", "a%");

  private static final List<String> JSON_VALUES = List.of(
      "1e400", "-1e400", "-1", "0", "-0", "9223372036854775808", "-9223372036854775809", "1.7976931348623157e309",
      "123456789012345678901234567890", "0.000000000000000000000000001", "true", "false", "null", "[]", "{}",
      "[null]", "[1,2,3]", "[[]]", "[{}]", "{\"a\":1}", "\"\"", "\" \"", "\"\\u0000\"", "\"\\ud800\"",
      "\"\\udfff\\ud800\"", "\"a\\u0000b\"", "\"😀\"", "\"\\u202e\"", "\"javascript:alert(1)\"",
      "\"http://[::1]:99999/\"", "\"https://\"", "\"https:///\"", "\"https://例え.jp/\"", "\"ftp://example.com\"",
      "\"https://user:pass@example.com:0/\"", "\"https://127.0.0.1/\"", "\"whsec_\"", "\"whsec_%%%\"",
      "\"whsec_AA==\"", "\"true\"", "\"1\"", "[\"\"]", "[\"\\u0000\"]", "[1]", "[true]", "[\"a\",null]");

  private static final List<String> METHODS = List.of(
      "FOO", "PROPFIND", "TRACE", "OPTIONS", "HEAD", "PUT", "get", "G3T", "MKCOL", "BREW", "PURGE", "SEARCH",
      "LINK", "QUERY", "X".repeat(300));

  private static final List<String> CONTENT_TYPES = List.of(
      "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
      "multipart/form-data", "application/octet-stream", "application/json; charset=utf-16",
      "application/json; charset=nonsense", "application/json;;;", "application/*", "*/*", "json", "", ";",
      "application/json\u0000", "text/html; charset=utf-8", "application/vnd.api+json", "application/graphql",
      "application/json, text/plain", "a/b/c", "\u00e9/\u00e9");

  private static final String NOTIFICATIONS = "undeliveredNotifications(filters: {}) { totalCount }";

  private HostileValues() {}

  /** A GraphQL document that is wrong, huge, deep, or expensive, as a JSON string. */
  static String graphqlQuery(SplittableRandom random) {
    int n = 100 + random.nextInt(3_000);
    String query = switch (random.nextInt(12)) {
      case 0 -> "{" + "a{".repeat(n * 3) + "}".repeat(n * 3 + 1);
      case 1 -> "{" + java.util.stream.IntStream.range(0, n).mapToObj(i -> "a" + i + ": " + NOTIFICATIONS)
          .collect(java.util.stream.Collectors.joining(" ")) + "}";
      case 2 -> "fragment a on Query { ...b } fragment b on Query { ...a } { ...a }";
      case 3 -> "{ " + NOTIFICATIONS.replace("totalCount", "totalCount" + " @include(if: true)".repeat(n)) + " }";
      case 4 -> "{ __schema { types { name fields { name type { name ofType { name ofType { name } } } } } } }";
      case 5 -> "{ undeliveredNotifications(limit: 99999999999, filters: {}) { totalCount } }";
      case 6 -> "{ undeliveredNotifications(limit: -1, cursor: \"" + "%".repeat(n) + "\", filters: {}) { totalCount } }";
      case 7 -> "{ undeliveredNotifications(filters: {creationDateTime: {from: \"yesterday\", to: 5}}) { totalCount } }";
      case 8 -> "{ undeliveredNotifications(filters: {}, portal: \"\\u0000\") { elements { notification { payload } } } }";
      case 9 -> "mutation { x }";
      case 10 -> "subscription { undeliveredNotifications }";
      default -> "query q1 { __typename } query q2 { __typename }";
    };
    return jsonString(query);
  }

  /** GraphQL variables of the wrong types, out of range, or not an object at all. */
  static String graphqlVariables(SplittableRandom random) {
    return pick(random, List.of("{\"limit\":\"ten\",\"filters\":{}}", "{\"limit\":1e400,\"filters\":{}}",
        "{\"limit\":9223372036854775808,\"filters\":{}}", "{\"filters\":null}", "{}",
        "{\"filters\":{\"creationDateTime\":{\"from\":\"garbage\",\"to\":\"+999999999-12-31T23:59:59Z\"}}}",
        "{\"filters\":{\"creationDateTime\":{\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2025-01-01T00:00:00Z\","
            + "\"operator\":\"SIDEWAYS\"}}}",
        "{\"filters\":{\"eventType\":[1,2]},\"cursor\":\"AAAA\"}", "{\"filters\":{},\"portal\":5}",
        "{\"filters\":{},\"cursor\":\"" + "A".repeat(5_000) + "\"}", "[]", "\"x\"", "5"));
  }

  static <T> T pick(SplittableRandom random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  /** A bad value for a path, query or header parameter (before any encoding). */
  static String text(SplittableRandom random) {
    return switch (random.nextInt(10)) {
      case 0 -> "a".repeat(1 + random.nextInt(4096));
      case 1 -> repeatedList(random);
      case 2 -> randomUnicode(random, 1 + random.nextInt(64));
      case 3 -> Long.toString(random.nextLong());
      default -> pick(random, TEXTS);
    };
  }

  /** Percent-encoded junk as it would appear in a request target, to be sent as is. */
  static String rawPercent(SplittableRandom random) {
    return pick(random, RAW_PERCENT);
  }

  /** A JSON value of a wrong type, out of range, or with hostile text. */
  static String jsonValue(SplittableRandom random) {
    return switch (random.nextInt(12)) {
      case 0 -> deepJson(random, 1_000 + random.nextInt(10_000));
      case 1 -> "\"" + "x".repeat(1 + random.nextInt(60_000)) + "\"";
      case 2 -> "[" + String.join(",", java.util.Collections.nCopies(1 + random.nextInt(5_000), "\"e\"")) + "]";
      case 3 -> jsonString(randomUnicode(random, 1 + random.nextInt(64)));
      default -> pick(random, JSON_VALUES);
    };
  }

  /** A body that is not one JSON object, or one too large or too deep to accept. */
  static byte[] badBody(SplittableRandom random) {
    String text = switch (random.nextInt(16)) {
      case 0 -> "";
      case 1 -> "{";
      case 2 -> "{\"url\": ";
      case 3 -> "[]";
      case 4 -> "42";
      case 5 -> "\"text\"";
      case 6 -> "null";
      case 7 -> "{} {}";
      case 8 -> "{\"a\":1}garbage";
      case 9 -> deepJson(random, 10_000 + random.nextInt(40_000));
      case 10 -> "{\"x\":" + deepJson(random, 10_000 + random.nextInt(20_000)) + "}";
      case 11 -> "{\"events\":\"" + "x".repeat(OVER_BODY_LIMIT) + "\"}";
      case 12 -> "{\"url\":\"https://example.com/\"" + ",\"x\":1".repeat(20_000) + "}";
      case 13 -> "\ufeff{\"url\":\"https://example.com/hook\"}";
      case 14 -> "{'url': 'single quotes'}";
      default -> "{\"url\":\"https://example.com/hook\",/* comment */\"events\":[\"a\",]}";
    };
    if (random.nextInt(6) == 0) {
      return randomBytes(random, 1 + random.nextInt(random.nextBoolean() ? 256 : OVER_BODY_LIMIT * 2));
    }
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  static String method(SplittableRandom random) {
    return pick(random, METHODS);
  }

  static String contentType(SplittableRandom random) {
    return pick(random, CONTENT_TYPES);
  }

  /** JSON arrays or objects nested {@code depth} deep. */
  static String deepJson(SplittableRandom random, int depth) {
    boolean arrays = random.nextBoolean();
    return arrays ? "[".repeat(depth) + "]".repeat(depth) : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
  }

  static String jsonString(String text) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || Character.isSurrogate(c)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }

  static byte[] randomBytes(SplittableRandom random, int n) {
    byte[] bytes = new byte[n];
    for (int i = 0; i < n; i++) {
      bytes[i] = (byte) random.nextInt(256);
    }
    return bytes;
  }

  /** Base64url of random bytes: looks like a cursor or a token, is neither. */
  static String lookalike(SplittableRandom random) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(random, 1 + random.nextInt(120)));
  }

  private static String repeatedList(SplittableRandom random) {
    return String.join(",", java.util.Collections.nCopies(1 + random.nextInt(2_000), "conversation.created"));
  }

  /** Code points from every plane, control characters and lone surrogates included. */
  static String randomUnicode(SplittableRandom random, int length) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < length; i++) {
      switch (random.nextInt(6)) {
        case 0 -> b.append((char) random.nextInt(0x20));
        case 1 -> b.append((char) (0xD800 + random.nextInt(0x800)));
        case 2 -> b.appendCodePoint(0x10000 + random.nextInt(0x100000 - 0x10000));
        case 3 -> b.append((char) (0x80 + random.nextInt(0x780)));
        default -> b.append((char) (0x20 + random.nextInt(0x5f)));
      }
    }
    return b.toString();
  }
}
