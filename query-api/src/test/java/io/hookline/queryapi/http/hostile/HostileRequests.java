package io.hookline.queryapi.http.hostile;

import static io.hookline.queryapi.http.hostile.HostileValues.pick;

import io.hookline.queryapi.http.hostile.ApiDescription.Operation;
import io.hookline.queryapi.http.hostile.ApiDescription.Parameter;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Generates request {@code index} of a run from the run's seed alone: an operation of the
 * {@link ApiDescription}, first made valid (the portal's own token, existing webhook and execution
 * ids, well-formed parameters and body), then damaged by none, one or a mixture of mutations. Each
 * request records what it damaged ({@link HostileRequest#blamed}), which a 400 must name.
 */
final class HostileRequests {

  /** Blamed when the whole body is wrong: a 400 names it as the body or as JSON. */
  static final String BODY = "body";

  /** A generated request: the bytes to send, and what a 400 answer to it must name. */
  record HostileRequest(int index, Operation operation, String method, byte[] bytes, Set<String> blamed,
      List<String> mutations, boolean withBody) {

    boolean head() {
      return method.equals("HEAD");
    }

    /**
     * Whether the request damages the protocol itself (framing, methods, header block, request line), so
     * it is sent on a connection of its own: what it leaves behind must not be blamed on the next request.
     */
    boolean isolated() {
      return mutations.stream().anyMatch(PROTOCOL_LEVEL::contains);
    }

    /** The start of the request, printable (control and non-ASCII bytes as \xNN). */
    String excerpt() {
      StringBuilder b = new StringBuilder();
      String text = new String(bytes, 0, Math.min(bytes.length, 2_000), StandardCharsets.ISO_8859_1)
          .replaceAll("eyJ[A-Za-z0-9_\\-]+\\.eyJ[A-Za-z0-9_\\-]+\\.[A-Za-z0-9_\\-]*", "<jwt>");
      byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
      for (int i = 0; i < Math.min(bytes.length, 600); i++) {
        int c = bytes[i] & 0xff;
        b.append(c == '\n' ? "\\n" : c == '\r' ? "\\r" : c < 0x20 || c >= 0x7f ? String.format("\\x%02x", c)
            : String.valueOf((char) c));
      }
      return this.bytes.length > 600 ? b + "... (" + this.bytes.length + " bytes)" : b.toString();
    }
  }

  private enum Mutation {
    QUERY_VALUE, QUERY_REPEAT, QUERY_JUNK, PATH_VALUE, PATH_JUNK, HEADER_PARAMETER, TOKEN, CONTENT_TYPE, ACCEPT,
    BIG_HEADER, ODD_HEADERS, METHOD, LONG_TARGET, BODY_FIELD, BODY_UNKNOWN_FIELD, BODY_DUPLICATE_FIELD, BODY_SHAPE,
    FRAMING, BODY_WHERE_NONE
  }

  private static final Set<String> PROTOCOL_LEVEL = Set.of(Mutation.FRAMING.name(), Mutation.ODD_HEADERS.name(),
      Mutation.METHOD.name(), Mutation.BIG_HEADER.name(), Mutation.LONG_TARGET.name(),
      Mutation.BODY_WHERE_NONE.name());

  /** Parameters that name the same bound; a good request uses one of each group. */
  private static final List<List<String>> ALIASES = List.of(List.of("from_time", "start_date"),
      List.of("to_time", "till_time", "end_date"));

  /**
   * What a 400 may name for damage that has no parameter name: the request target as a whole, its
   * framing, its headers, its method. A changed method may land on another route of the same path
   * (PUT on an event type), whose 400 then names the body it lacks.
   */
  private static final Map<Mutation, String> UNNAMED = Map.of(
      Mutation.QUERY_JUNK, "uri|query|http",
      Mutation.PATH_JUNK, "uri|path|http",
      Mutation.FRAMING, "http|content-length|transfer-encoding|content-encoding|body",
      Mutation.ODD_HEADERS, "http|header",
      Mutation.METHOD, "http|method|query|body",
      Mutation.BODY_WHERE_NONE, BODY,
      Mutation.ACCEPT, "accept|http",
      Mutation.TOKEN, "authorization|http");

  private final List<Operation> operations;
  private final Fixtures fixtures;
  private final ValidValues valid;

  HostileRequests(ApiDescription api, Fixtures fixtures) {
    this.operations = api.operations();
    this.fixtures = fixtures;
    this.valid = new ValidValues(fixtures);
  }

  HostileRequest generate(long seed, int index) {
    SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (index + 1L)));
    Operation operation = pick(random, operations);
    Draft draft = new Draft(operation, random);
    int roll = random.nextInt(100);
    int mutations = roll < 8 ? 0 : roll < 80 ? 1 : 2 + random.nextInt(3);
    List<Mutation> chosen = new ArrayList<>();
    for (int i = 0; i < mutations; i++) {
      chosen.add(pick(random, applicable(operation)));
    }
    // Framing last: it wraps the body the other mutations made.
    chosen.sort(java.util.Comparator.comparing(m -> m == Mutation.FRAMING));
    chosen.forEach(draft::mutate);
    return draft.build(index);
  }

  /** A good request to {@code operation}: no mutation. */
  HostileRequest unharmed(Operation operation) {
    return new Draft(operation, new SplittableRandom(operation.route().hashCode())).build(-1);
  }

  private static List<Mutation> applicable(Operation operation) {
    List<Mutation> list = new ArrayList<>(List.of(Mutation.QUERY_JUNK, Mutation.PATH_JUNK, Mutation.TOKEN,
        Mutation.CONTENT_TYPE, Mutation.ACCEPT, Mutation.BIG_HEADER, Mutation.ODD_HEADERS, Mutation.METHOD,
        Mutation.LONG_TARGET, Mutation.FRAMING));
    boolean query = operation.parameters().stream().anyMatch(p -> p.in().equals("query"));
    if (query) {
      list.addAll(List.of(Mutation.QUERY_VALUE, Mutation.QUERY_VALUE, Mutation.QUERY_VALUE, Mutation.QUERY_REPEAT));
    }
    if (operation.parameters().stream().anyMatch(p -> p.in().equals("path"))) {
      list.addAll(List.of(Mutation.PATH_VALUE, Mutation.PATH_VALUE));
    }
    if (operation.parameters().stream().anyMatch(p -> p.in().equals("header"))) {
      list.addAll(List.of(Mutation.HEADER_PARAMETER, Mutation.HEADER_PARAMETER));
    }
    if (operation.body() == null) {
      list.add(Mutation.BODY_WHERE_NONE);
    } else {
      list.addAll(List.of(Mutation.BODY_SHAPE, Mutation.BODY_SHAPE));
      if (!operation.body().fields().isEmpty()) {
        list.addAll(List.of(Mutation.BODY_FIELD, Mutation.BODY_FIELD, Mutation.BODY_FIELD, Mutation.BODY_FIELD,
            Mutation.BODY_UNKNOWN_FIELD, Mutation.BODY_DUPLICATE_FIELD));
      }
    }
    return list;
  }

  /** One request under construction. */
  private final class Draft {

    private final Operation operation;
    private final SplittableRandom random;
    private String method;
    private final Map<String, String> pathValues = new LinkedHashMap<>();
    private String pathSuffix = "";
    private final List<String> query = new ArrayList<>();
    private final List<String[]> headers = new ArrayList<>();
    private String authorization;
    private String contentType;
    /** The body's fields as raw text (JSON values, or form values), or null when {@link #body} is set. */
    private Map<String, String> fields;
    private final List<String> duplicates = new ArrayList<>();
    private byte[] body;
    private boolean framed;
    private final Set<String> blamed = new LinkedHashSet<>();
    private final List<String> mutations = new ArrayList<>();

    Draft(Operation operation, SplittableRandom random) {
      this.operation = operation;
      this.random = random;
      this.method = operation.method();
      this.authorization = fixtures.goodToken();
      for (Parameter p : operation.parameters()) {
        switch (p.in()) {
          case "path" -> pathValues.put(p.name(), encodePath(valid.path(p.name(), method, random)));
          case "query" -> {
            String value = valid.query(operation, p, random);
            if (value != null && (p.required() || random.nextInt(3) == 0) && !aliasPresent(p.name())) {
              query.add(p.name() + "=" + encodeQuery(value));
            }
          }
          default -> { }
        }
      }
      if (operation.body() != null) {
        contentType = operation.body().mediaType();
        fields = valid.body(operation, random);
        if (fields == null) {
          // No good body is known (the peer protocol's binary questions): the body is to blame.
          body = HostileValues.randomBytes(random, 1 + random.nextInt(64));
          blamed.add(BODY);
        }
      }
    }

    /** Whether a parameter naming the same bound as {@code name} (to_time, till_time, end_date) is in the query. */
    private boolean aliasPresent(String name) {
      return ALIASES.stream().filter(group -> group.contains(name)).flatMap(List::stream)
          .anyMatch(alias -> query.stream().anyMatch(q -> q.startsWith(alias + "=")));
    }

    void mutate(Mutation mutation) {
      mutations.add(mutation.name());
      String blame = UNNAMED.get(mutation);
      if (blame != null) {
        blamed.add(blame);
      }
      switch (mutation) {
        case QUERY_VALUE -> {
          Parameter p = parameter("query");
          query.removeIf(q -> q.startsWith(p.name() + "="));
          boolean raw = random.nextInt(5) == 0;
          String cursor = fixtures.cursors().get(operation.path());
          if (p.name().equals("cursor") && cursor != null && random.nextBoolean()) {
            // A real cursor, most likely of other filters than this request's.
            query.add(p.name() + "=" + cursor);
          } else {
            query.add(p.name() + "=" + (raw ? encodeRaw(HostileValues.text(random)) + HostileValues.rawPercent(random)
                : encodeQuery(HostileValues.text(random))));
          }
          blamed.add(raw ? p.name() + "|uri|query|http" : p.name());
        }
        case QUERY_REPEAT -> {
          Parameter p = parameter("query");
          String value = valid.query(operation, p, random);
          value = value == null ? HostileValues.lookalike(random) : value;
          query.add(p.name() + "=" + encodeQuery(value));
          query.add(p.name() + "=" + encodeQuery(value));
          blamed.add(p.name());
        }
        case QUERY_JUNK -> {
          for (int i = random.nextInt(1, 30); i > 0; i--) {
            query.add(switch (random.nextInt(5)) {
              case 0 -> "";
              case 1 -> "=";
              case 2 -> HostileValues.rawPercent(random);
              case 3 -> encodeQuery(HostileValues.text(random));
              default -> encodeQuery(HostileValues.text(random)) + "=" + hostileQueryValue();
            });
          }
        }
        case PATH_VALUE -> {
          Parameter p = parameter("path");
          boolean raw = random.nextInt(4) == 0;
          // An empty segment would make it another route (PATH_JUNK's business); a blank one stays in place.
          String text = HostileValues.text(random);
          pathValues.put(p.name(), raw ? HostileValues.rawPercent(random) : encodePath(text.isEmpty() ? " " : text));
          blamed.add(raw ? p.name() + "|uri|path|http" : p.name());
        }
        case PATH_JUNK -> pathSuffix = pick(random, List.of("/", "//", "/..", "/../..", "/%2e%2e", "/.", ";x=1",
            "/%00", "/%ff", "/%", "/" + HostileValues.rawPercent(random), "/extra", "%20", "/\u00e9",
            "/" + "x".repeat(random.nextInt(1, 4000))));
        case HEADER_PARAMETER -> {
          Parameter p = parameter("header");
          headers.add(new String[] {p.name(), HostileValues.text(random).replaceAll("[\r\n]", "")});
          // Control characters in a header value fail HTTP decoding before the parameter is read.
          blamed.add(p.name() + "|http");
        }
        case TOKEN -> authorization = pick(random, fixtures.badAuthorizations());
        case CONTENT_TYPE -> {
          contentType = random.nextInt(5) == 0 ? null : HostileValues.contentType(random);
          blamed.add("Content-Type");
        }
        case ACCEPT -> headers.add(new String[] {"Accept", pick(random, List.of("application/xml", "text/csv",
            "image/png", "*/*;q=0", "application/json;q=0, */*;q=0", "", "\u0000", "text/event-stream",
            "text/html", "application/yaml"))});
        case BIG_HEADER -> {
          String big = "x".repeat(HostileValues.OVER_HEADER_LIMIT + random.nextInt(4096));
          switch (random.nextInt(4)) {
            case 0 -> authorization = "Bearer " + big;
            case 1 -> headers.add(new String[] {"Cookie", "hookline_session=" + big});
            case 2 -> headers.add(new String[] {"X-" + big.substring(0, 100), big});
            default -> {
              for (int i = 0; i < 600; i++) {
                headers.add(new String[] {"X-Many-" + i, "y".repeat(30)});
              }
            }
          }
        }
        case ODD_HEADERS -> headers.add(switch (random.nextInt(9)) {
          case 0 -> new String[] {"X-Nul", "a\u0000b"};
          case 1 -> new String[] {"X-Unicode", HostileValues.randomUnicode(random, 20).replaceAll("[\r\n]", "")};
          case 2 -> new String[] {"Host", "evil.example.com"};
          case 3 -> new String[] {"X Space", "1"};
          case 4 -> new String[] {"", "empty name"};
          case 5 -> new String[] {"X-Folded", "a\r\n folded"};
          case 6 -> new String[] {"Cookie", "hookline_session=" + HostileValues.text(random).replaceAll("[\r\n]", "")};
          case 7 -> new String[] {"Expect", pick(random, List.of("100-continue", "999-nonsense"))};
          default -> new String[] {"X-CSRF-Token", HostileValues.text(random).replaceAll("[\r\n]", "")};
        });
        case METHOD -> method = HostileValues.method(random);
        case LONG_TARGET -> {
          if (random.nextBoolean()) {
            query.add("junk=" + "q".repeat(HostileValues.OVER_LINE_LIMIT + random.nextInt(2048)));
          } else {
            pathSuffix = "/" + "p".repeat(HostileValues.OVER_LINE_LIMIT + random.nextInt(2048));
          }
        }
        case BODY_FIELD -> {
          ensureFields();
          String name = pick(random, new ArrayList<>(operation.body().fields().keySet()));
          boolean graphql = operation.kind() == ApiDescription.Kind.GRAPHQL && random.nextBoolean();
          if (graphql && name.equals("query")) {
            fields.put(name, HostileValues.graphqlQuery(random));
          } else if (graphql && name.equals("variables")) {
            fields.put(name, HostileValues.graphqlVariables(random));
          } else {
            fields.put(name, isForm() ? HostileValues.text(random) : HostileValues.jsonValue(random));
          }
          String value = fields.get(name);
          // A value nested past the parser's limit fails the body as a whole, before any field is read.
          blamed.add(value.startsWith("[[[") || value.startsWith("{\"a\":{") ? name + "|nesting depth" : name);
        }
        case BODY_UNKNOWN_FIELD -> {
          ensureFields();
          String name = pick(random, List.of("id", "portal", "created_time", "secret", "URL", "url ", "",
              "__proto__", "constructor", "a\u0000b", "\u00e9v\u00e9nements", "x".repeat(200)));
          fields.put(name, isForm() ? "1" : pick(random, List.of("1", "\"x\"", "null", "{}")));
          blamed.add(name);
        }
        case BODY_DUPLICATE_FIELD -> {
          ensureFields();
          String name = pick(random, new ArrayList<>(operation.body().fields().keySet()));
          duplicates.add(name);
          blamed.add(name);
        }
        case BODY_SHAPE -> {
          fields = null;
          body = HostileValues.badBody(random);
          blamed.add(BODY);
        }
        case FRAMING -> {
          framed = true;
          byte[] content = content();
          if (body == null && fields == null) {
            body = content;
          }
          switch (random.nextInt(6)) {
            case 0 -> headers.add(new String[] {"Content-Length", pick(random, List.of("abc", "-1", "1e3", " ",
                "99999999999999999999", "0x10"))});
            case 1 -> {
              headers.add(new String[] {"Content-Length", Integer.toString(content.length)});
              headers.add(new String[] {"Content-Length", Integer.toString(content.length + 1)});
            }
            case 2 -> {
              headers.add(new String[] {"Content-Length", Integer.toString(content.length)});
              headers.add(new String[] {"Transfer-Encoding", "chunked"});
              body = chunked(content);
              fields = null;
            }
            case 3 -> {
              headers.add(new String[] {"Transfer-Encoding", "chunked"});
              body = ("zz\r\n" + new String(content, StandardCharsets.ISO_8859_1) + "\r\n0\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1);
              fields = null;
            }
            case 4 -> {
              headers.add(new String[] {"Content-Length", "999999999999"});
              body = new byte[0];
              fields = null;
            }
            default -> {
              headers.add(new String[] {"Content-Encoding", pick(random, List.of("gzip", "deflate", "br", "x"))});
              headers.add(new String[] {"Content-Length", Integer.toString(content.length)});
            }
          }
        }
        case BODY_WHERE_NONE -> {
          body = random.nextBoolean() ? "{\"x\":1}".getBytes(StandardCharsets.UTF_8)
              : HostileValues.badBody(random);
          contentType = random.nextBoolean() ? "application/json" : contentType;
        }
      }
    }

    private boolean isForm() {
      return operation.body() != null && operation.body().mediaType().equals("application/x-www-form-urlencoded");
    }

    /** Makes the body a set of fields again (the good ones) after a mutation replaced it as a whole. */
    private void ensureFields() {
      if (fields == null) {
        Map<String, String> good = valid.body(operation, random);
        fields = good == null ? new LinkedHashMap<>() : good;
        body = null;
      }
    }

    private Parameter parameter(String in) {
      return pick(random, operation.parameters().stream().filter(p -> p.in().equals(in)).toList());
    }

    private String hostileQueryValue() {
      String value = HostileValues.text(random);
      return random.nextInt(5) == 0 ? encodeRaw(value) + HostileValues.rawPercent(random) : encodeQuery(value);
    }

    private byte[] content() {
      if (fields == null) {
        return body == null ? new byte[0] : body;
      }
      String text;
      if (isForm()) {
        List<String> pairs = new ArrayList<>();
        fields.forEach((k, v) -> pairs.add(encodeQuery(k) + "=" + encodeQuery(v)));
        duplicates.forEach(k -> pairs.add(encodeQuery(k) + "=" + encodeQuery(fields.getOrDefault(k, "x"))));
        text = String.join("&", pairs);
      } else {
        List<String> members = new ArrayList<>();
        fields.forEach((k, v) -> members.add(HostileValues.jsonString(k) + ":" + v));
        duplicates.forEach(k -> members.add(HostileValues.jsonString(k) + ":" + fields.getOrDefault(k, "null")));
        text = "{" + String.join(",", members) + "}";
      }
      return text.getBytes(StandardCharsets.UTF_8);
    }

    HostileRequest build(int index) {
      String path = operation.path();
      for (Map.Entry<String, String> p : pathValues.entrySet()) {
        path = path.replace("{" + p.getKey() + "}", p.getValue());
      }
      String target = path + pathSuffix + (query.isEmpty() ? "" : "?" + String.join("&", query));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      write(out, method + " " + target + " HTTP/1.1\r\n");
      write(out, "Host: " + fixtures.host() + "\r\n");
      if (authorization != null) {
        write(out, "Authorization: " + authorization + "\r\n");
      }
      if (contentType != null) {
        write(out, "Content-Type: " + contentType + "\r\n");
      }
      for (String[] h : headers) {
        write(out, h[0] + ": " + h[1] + "\r\n");
      }
      byte[] content = fields == null && body == null ? null : content();
      if (!framed && (content != null || Set.of("POST", "PUT", "PATCH").contains(method))) {
        write(out, "Content-Length: " + (content == null ? 0 : content.length) + "\r\n");
      }
      write(out, "\r\n");
      if (content != null) {
        out.writeBytes(content);
      }
      return new HostileRequest(index, operation, method, out.toByteArray(), Set.copyOf(blamed), List.copyOf(mutations),
          content != null && content.length > 0);
    }
  }

  private static byte[] chunked(byte[] content) {
    String head = Integer.toHexString(content.length) + "\r\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(content);
    out.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  static String encodeQuery(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  static String encodePath(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Only what would break the request line escaped; NUL, non-ASCII and stray '%' sent as they are. */
  static String encodeRaw(String value) {
    return value.replace(" ", "%20").replace("\r", "%0D").replace("\n", "%0A").replace("#", "%23")
        .replace("&", "%26");
  }
}
