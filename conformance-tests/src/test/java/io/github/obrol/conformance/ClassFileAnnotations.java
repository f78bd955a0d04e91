package io.github.obrol.conformance;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the runtime-visible annotations of a class file's methods without loading the class (so a module's test
 * classes are read whatever their own test dependencies are). Only what {@link RuleCoverageTest} needs: for each
 * method, the annotation types and the string values of their array elements.
 */
final class ClassFileAnnotations {
  /** One method's annotations: type descriptor (e.g. {@code Lorg/junit/jupiter/api/Test;}) to its string values. */
  record MethodAnnotations(String method, Map<String, List<String>> annotations) {}

  private ClassFileAnnotations() {}

  static List<MethodAnnotations> read(byte[] classFile) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort();
    in.readUnsignedShort();
    int count = in.readUnsignedShort();
    Object[] pool = new Object[count];
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> pool[i] = in.readUTF();
        case 3, 4 -> in.readInt();
        case 5, 6 -> {
          in.readLong();
          i++;
        }
        case 7, 8, 16, 19, 20 -> in.readUnsignedShort();
        case 9, 10, 11, 12, 17, 18 -> in.readInt();
        case 15 -> {
          in.readUnsignedByte();
          in.readUnsignedShort();
        }
        default -> throw new IOException("constant pool tag " + tag);
      }
    }
    in.readUnsignedShort();
    in.readUnsignedShort();
    in.readUnsignedShort();
    int interfaces = in.readUnsignedShort();
    for (int i = 0; i < interfaces; i++) {
      in.readUnsignedShort();
    }
    int fields = in.readUnsignedShort();
    for (int i = 0; i < fields; i++) {
      in.readUnsignedShort();
      in.readUnsignedShort();
      in.readUnsignedShort();
      skipAttributes(in);
    }
    List<MethodAnnotations> out = new ArrayList<>();
    int methods = in.readUnsignedShort();
    for (int i = 0; i < methods; i++) {
      in.readUnsignedShort();
      String name = (String) pool[in.readUnsignedShort()];
      in.readUnsignedShort();
      Map<String, List<String>> annotations = new TreeMap<>();
      int attributes = in.readUnsignedShort();
      for (int a = 0; a < attributes; a++) {
        String attribute = (String) pool[in.readUnsignedShort()];
        int length = in.readInt();
        if (attribute.equals("RuntimeVisibleAnnotations")) {
          int n = in.readUnsignedShort();
          for (int k = 0; k < n; k++) {
            List<String> values = new ArrayList<>();
            String type = annotation(in, pool, values);
            annotations.put(type, values);
          }
        } else {
          in.skipNBytes(length);
        }
      }
      out.add(new MethodAnnotations(name, annotations));
    }
    return out;
  }

  private static void skipAttributes(DataInputStream in) throws IOException {
    int attributes = in.readUnsignedShort();
    for (int a = 0; a < attributes; a++) {
      in.readUnsignedShort();
      in.skipNBytes(in.readInt());
    }
  }

  /** Reads one annotation; adds the string constants of its element values to {@code strings}; returns its type. */
  private static String annotation(DataInputStream in, Object[] pool, List<String> strings) throws IOException {
    String type = (String) pool[in.readUnsignedShort()];
    int pairs = in.readUnsignedShort();
    for (int p = 0; p < pairs; p++) {
      in.readUnsignedShort();
      elementValue(in, pool, strings);
    }
    return type;
  }

  private static void elementValue(DataInputStream in, Object[] pool, List<String> strings) throws IOException {
    int tag = in.readUnsignedByte();
    switch (tag) {
      case 's' -> strings.add((String) pool[in.readUnsignedShort()]);
      case 'B', 'C', 'D', 'F', 'I', 'J', 'S', 'Z', 'c' -> in.readUnsignedShort();
      case 'e' -> {
        in.readUnsignedShort();
        in.readUnsignedShort();
      }
      case '@' -> annotation(in, pool, new ArrayList<>());
      case '[' -> {
        int n = in.readUnsignedShort();
        for (int i = 0; i < n; i++) {
          elementValue(in, pool, strings);
        }
      }
      default -> throw new IOException("element value tag " + (char) tag);
    }
  }
}
