package io.github.obrol.client.terminal;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;

/**
 * For people at a terminal: JLine line editing and in-memory history, incoming lines printed above the
 * line being typed ({@link LineReader#printAbove}) so it is never garbled, colours where the terminal has
 * them.
 */
final class JLineConsole implements Console {
  private final Terminal terminal;
  private final LineReader reader;

  JLineConsole() {
    try {
      terminal = TerminalBuilder.builder().name("obrol-chat").system(true).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    reader = LineReaderBuilder.builder().terminal(terminal).appName("obrol-chat")
        // Chat lines are not commands to expand: a '!' or '\' stays what it is.
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
        .build();
  }

  @Override
  public String readLine(String prompt) {
    try {
      return reader.readLine(prompt);
    } catch (UserInterruptException | EndOfFileException e) {
      return null;
    }
  }

  @Override
  public void printChat(Style style, String line) {
    reader.printAbove(new AttributedString(line, styleOf(style)));
  }

  @Override
  public void printStatus(Style style, String line) {
    printChat(style, line);
  }

  private static AttributedStyle styleOf(Style style) {
    switch (style) {
      case PRIVATE:
        return AttributedStyle.BOLD.foreground(AttributedStyle.MAGENTA);
      case JOIN_LEAVE:
        return AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
      case NOTICE:
        return AttributedStyle.BOLD.foreground(AttributedStyle.YELLOW);
      case ERROR:
        return AttributedStyle.BOLD.foreground(AttributedStyle.RED);
      case STATUS:
        return AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN);
      default:
        return AttributedStyle.DEFAULT;
    }
  }

  @Override
  public void close() {
    try {
      terminal.close();
    } catch (IOException e) {
      // Nothing left to restore.
    }
  }
}
