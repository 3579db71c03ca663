package io.hookline.queryapi.view.peer;

import io.hookline.queryapi.domain.InvalidFieldException;
import io.hookline.queryapi.view.Page;
import io.hookline.queryapi.view.PageStart;
import io.hookline.schemas.AvroSerde;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.avro.specific.SpecificRecord;

/**
 * How a page travels between query-api instances, on top of {@link PeerProtocol}: where it starts,
 * as the {@value #START} query parameter ({@code offset:N}, {@code after:<base64url>} or
 * {@code before:<base64url>}, the raw position, not a client cursor: the caller's token already
 * limits it to the caller's webhook), and the answer, the page's records plus where the next and
 * previous pages start and its total. Both sides use this class, so they cannot disagree.
 *
 * <p>Body: a version byte, the next and the previous start (a kind byte, 0 none, 1 after, 2 before,
 * then a 4-byte length and the position), an 8-byte total (-1 when not counted), then the records
 * as {@link PeerProtocol#encode} writes them.
 */
public final class PeerPages {

  public static final String START = "start";

  private static final byte VERSION = 1;
  private static final byte NONE = 0;
  private static final byte AFTER = 1;
  private static final byte BEFORE = 2;
  private static final int MAX_POSITION = 4096;

  private PeerPages() {}

  /** The {@value #START} parameter's value for {@code start} (URL-safe as it is). */
  public static String startParameter(PageStart start) {
    if (start instanceof PageStart.After after) {
      return "after:" + Base64.getUrlEncoder().withoutPadding().encodeToString(after.position());
    }
    if (start instanceof PageStart.Before before) {
      return "before:" + Base64.getUrlEncoder().withoutPadding().encodeToString(before.position());
    }
    return "offset:" + ((PageStart.Offset) start).skipped();
  }

  /** The start {@link #startParameter} wrote; 400 naming {@value #START} when it is not one. */
  public static PageStart start(String value) {
    String text = value == null ? "" : value;
    try {
      if (text.startsWith("offset:")) {
        return PageStart.offset(Long.parseLong(text.substring("offset:".length())));
      }
      if (text.startsWith("after:")) {
        return new PageStart.After(Base64.getUrlDecoder().decode(text.substring("after:".length())));
      }
      if (text.startsWith("before:")) {
        return new PageStart.Before(Base64.getUrlDecoder().decode(text.substring("before:".length())));
      }
    } catch (IllegalArgumentException e) {
      // falls through to the refusal below
    }
    throw new InvalidFieldException(START, "'" + START + "' must be offset:N, after:<base64url> or before:<base64url>,"
        + " was '" + value + "'");
  }

  public static <T extends SpecificRecord> byte[] encode(Page<T> page, AvroSerde<T> serde) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      writeStart(out, page.next());
      writeStart(out, page.previous());
      out.writeLong(page.total().orElse(-1));
      out.write(PeerProtocol.encode(page.items(), serde));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The page of {@code body}; throws IllegalArgumentException when it is not one. */
  public static <T extends SpecificRecord> Page<T> decode(byte[] body, AvroSerde<T> serde) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
      byte version = in.readByte();
      if (version != VERSION) {
        throw new IllegalArgumentException("a page of version " + version);
      }
      Optional<PageStart> next = readStart(in);
      Optional<PageStart> previous = readStart(in);
      long total = in.readLong();
      return new Page<>(PeerProtocol.decode(in.readAllBytes(), serde), next, previous,
          total < 0 ? OptionalLong.empty() : OptionalLong.of(total));
    } catch (IOException e) {
      throw new IllegalArgumentException("a truncated page", e);
    }
  }

  private static void writeStart(DataOutputStream out, Optional<PageStart> start) throws IOException {
    if (start.isEmpty()) {
      out.writeByte(NONE);
      return;
    }
    byte[] position;
    if (start.get() instanceof PageStart.After after) {
      out.writeByte(AFTER);
      position = after.position();
    } else if (start.get() instanceof PageStart.Before before) {
      out.writeByte(BEFORE);
      position = before.position();
    } else {
      throw new IllegalArgumentException("a page's next or previous start is a position, not " + start.get());
    }
    out.writeInt(position.length);
    out.write(position);
  }

  private static Optional<PageStart> readStart(DataInputStream in) throws IOException {
    byte kind = in.readByte();
    if (kind == NONE) {
      return Optional.empty();
    }
    int length = in.readInt();
    if (length < 0 || length > MAX_POSITION) {
      throw new IllegalArgumentException("a position of " + length + " bytes");
    }
    byte[] position = in.readNBytes(length);
    if (position.length != length) {
      throw new IllegalArgumentException("a truncated position");
    }
    return switch (kind) {
      case AFTER -> Optional.of(new PageStart.After(position));
      case BEFORE -> Optional.of(new PageStart.Before(position));
      default -> throw new IllegalArgumentException("a start of kind " + kind);
    };
  }
}
