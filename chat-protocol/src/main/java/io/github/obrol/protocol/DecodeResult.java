package io.github.obrol.protocol;

import java.util.Objects;
import java.util.function.Function;

/**
 * The outcome of decoding one frame: a value, or the error a server answers it with. Decoders return
 * this instead of throwing, so bad input never unwinds through a caller (GEN-LIMIT-6).
 *
 * @param <T> the decoded type
 */
public sealed interface DecodeResult<T> permits DecodeResult.Success, DecodeResult.Failure {

  /** A decoded value. */
  record Success<T>(T value) implements DecodeResult<T> {
    public Success {
      Objects.requireNonNull(value, "value");
    }
  }

  /** Bad input: the error code that answers it and a message giving actual against expected. */
  record Failure<T>(ErrorCode code, String message) implements DecodeResult<T> {
    public Failure {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }
  }

  static <T> DecodeResult<T> success(T value) {
    return new Success<>(value);
  }

  static <T> DecodeResult<T> failure(ErrorCode code, String message) {
    return new Failure<>(code, message);
  }

  /** Whether this is a {@link Success}. */
  default boolean isSuccess() {
    return this instanceof Success;
  }

  /** The value of a {@link Success}; throws {@link IllegalStateException} on a {@link Failure}. */
  default T value() {
    if (this instanceof Success) {
      return ((Success<T>) this).value();
    }
    Failure<T> f = (Failure<T>) this;
    throw new IllegalStateException("not decoded: " + f.code() + ": " + f.message());
  }

  /** Maps a success's value; a failure passes through. */
  default <R> DecodeResult<R> map(Function<? super T, ? extends R> mapper) {
    if (this instanceof Success) {
      return new Success<>(mapper.apply(((Success<T>) this).value()));
    }
    Failure<T> f = (Failure<T>) this;
    return new Failure<>(f.code(), f.message());
  }
}
