package org.cnn4j.io.tensorboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.OneofDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;

/**
 * Turns the committed {@code tensorboard_events.proto} into protobuf-java descriptors, so tests decode event files
 * with {@link com.google.protobuf.DynamicMessage} against the schema file itself rather than against the writer's
 * constants. Reads the subset of the language that file uses: {@code syntax}, {@code package}, nested
 * {@code message} and {@code oneof} blocks and {@code [repeated] type name = number;} fields.
 */
final class ProtoSchema {
    static final Path FILE = Path.of("src/main/proto/tensorboard_events.proto");

    private static final Pattern FIELD = Pattern.compile("(repeated\\s+)?(\\w+)\\s+(\\w+)\\s*=\\s*(\\d+)\\s*;");
    private static final Pattern MESSAGE = Pattern.compile("message\\s+(\\w+)\\s*\\{");
    private static final Pattern ONEOF = Pattern.compile("oneof\\s+(\\w+)\\s*\\{");
    private static final Map<String, FieldDescriptorProto.Type> SCALARS = Map.of(
            "double", FieldDescriptorProto.Type.TYPE_DOUBLE, "float", FieldDescriptorProto.Type.TYPE_FLOAT,
            "int32", FieldDescriptorProto.Type.TYPE_INT32, "int64", FieldDescriptorProto.Type.TYPE_INT64,
            "string", FieldDescriptorProto.Type.TYPE_STRING, "bytes", FieldDescriptorProto.Type.TYPE_BYTES);

    private final FileDescriptor file;
    /** "Message.field" (nested messages as "Outer.Inner.field") to its number. */
    private final Map<String, Integer> numbers = new LinkedHashMap<>();

    private ProtoSchema(String text) throws DescriptorValidationException {
        FileDescriptorProto.Builder fileProto = FileDescriptorProto.newBuilder().setName("tensorboard_events.proto");
        Deque<DescriptorProto.Builder> open = new ArrayDeque<>();
        Deque<String> names = new ArrayDeque<>();
        int oneof = -1; // index of the open oneof block in the innermost message, -1 outside one
        for (String raw : text.split("\n")) {
            String line = raw.replaceAll("//.*", "").trim();
            Matcher m;
            if (line.isEmpty()) {
                continue;
            } else if (line.startsWith("syntax")) {
                fileProto.setSyntax(line.replaceAll(".*\"(\\w+)\".*", "$1"));
            } else if (line.startsWith("package")) {
                fileProto.setPackage(line.replaceAll("package\\s+([\\w.]+)\\s*;", "$1"));
            } else if ((m = MESSAGE.matcher(line)).matches()) {
                open.push(DescriptorProto.newBuilder().setName(m.group(1)));
                names.push(m.group(1));
            } else if ((m = ONEOF.matcher(line)).matches()) {
                open.peek().addOneofDecl(OneofDescriptorProto.newBuilder().setName(m.group(1)));
                oneof = open.peek().getOneofDeclCount() - 1;
            } else if (line.equals("}") && oneof >= 0) {
                oneof = -1;
            } else if (line.equals("}")) {
                DescriptorProto.Builder done = open.pop();
                names.pop();
                if (open.isEmpty()) {
                    fileProto.addMessageType(done);
                } else {
                    open.peek().addNestedType(done);
                }
            } else if ((m = FIELD.matcher(line)).matches()) {
                int number = Integer.parseInt(m.group(4));
                FieldDescriptorProto.Builder field = FieldDescriptorProto.newBuilder().setName(m.group(3))
                        .setNumber(number).setLabel(m.group(1) != null ? FieldDescriptorProto.Label.LABEL_REPEATED
                                : FieldDescriptorProto.Label.LABEL_OPTIONAL);
                FieldDescriptorProto.Type scalar = SCALARS.get(m.group(2));
                if (scalar != null) {
                    field.setType(scalar);
                } else {
                    field.setTypeName(m.group(2)); // resolved by scope when the descriptors are built
                }
                if (oneof >= 0) {
                    field.setOneofIndex(oneof);
                }
                open.peek().addField(field);
                numbers.put(qualified(names) + "." + m.group(3), number);
            } else {
                throw new IllegalArgumentException(FILE + ": line not understood by this test parser: " + raw);
            }
        }
        file = FileDescriptor.buildFrom(fileProto.build(), new FileDescriptor[0]);
    }

    private static String qualified(Deque<String> names) {
        StringBuilder sb = new StringBuilder();
        names.descendingIterator().forEachRemaining(n -> sb.append(sb.length() == 0 ? "" : ".").append(n));
        return sb.toString();
    }

    static ProtoSchema load() throws IOException, DescriptorValidationException {
        return new ProtoSchema(Files.readString(FILE));
    }

    Descriptor event() {
        return file.findMessageTypeByName("Event");
    }

    /** The number the schema gives {@code "Message.field"}; fails if the schema has no such field. */
    int number(String field) {
        Integer n = numbers.get(field);
        if (n == null) {
            throw new AssertionError(FILE + " has no field " + field + "; it has " + numbers.keySet());
        }
        return n;
    }
}
