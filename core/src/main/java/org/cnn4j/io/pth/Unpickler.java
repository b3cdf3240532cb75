package org.cnn4j.io.pth;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a pickle (protocols 2 to 5) by interpreting its opcodes as data: dicts become {@link LinkedHashMap}s,
 * lists {@link ArrayList}s, tuples {@link Tuple}s, None null, and the only callables are the entries of
 * {@link AllowedGlobal}. Opcodes that call arbitrary classes (INST, OBJ, NEWOBJ_EX, the copyreg extension codes)
 * or need out-of-band data are refused. Limits on the stack, marks, memo, nesting depth and object count are
 * checked before each allocation, so a hostile pickle fails with a message instead of exhausting memory.
 */
final class Unpickler {
    /** Python's pickler batches containers 1000 items at a time, so real stacks stay within a few thousand. */
    static final int MAX_STACK = 1 << 16;
    /** One MARK is open per container being built; a state_dict needs about four. */
    static final int MAX_MARKS = 1 << 10;
    /** A state_dict uses about ten memo slots per tensor; this allows a hundred thousand tensors. */
    static final int MAX_MEMO = 1 << 20;
    /** state_dicts and training checkpoints nest a handful of containers deep. */
    static final int MAX_DEPTH = 100;
    /**
     * Objects created plus items put into containers: bounds the memory a pickle can claim (tens of bytes each)
     * independently of its length. A state_dict needs about ten per tensor.
     */
    static final int MAX_OBJECTS = 1 << 21;
    /** Python ints in weights files are sizes and counters; torch's magic number is the longest at 10 bytes. */
    static final int MAX_INT_BYTES = 64;
    static final int MAX_GLOBAL_NAME = 256;

    /** Resolves a persistent id (torch's reference to a storage) into a {@link StorageRef}. */
    interface PersistentLoader {
        Object load(Object pid) throws PthFormatException;
    }

    private final PickleInput in;
    private final PersistentLoader persistent;
    private final List<Object> stack = new ArrayList<>();
    private final int[] marks = new int[MAX_MARKS];
    private int markCount;
    private final Map<Integer, Object> memo = new HashMap<>();
    private final Map<Object, Integer> depths = new IdentityHashMap<>();
    private long objects;
    private int opcode;

    private Unpickler(PickleInput in, PersistentLoader persistent) {
        this.in = in;
        this.persistent = persistent;
    }

    /** Reads one pickle up to its STOP; {@code persistent} may be null where persistent ids are not expected. */
    static Object load(PickleInput in, PersistentLoader persistent) throws IOException {
        Unpickler u = new Unpickler(in, persistent);
        long at = in.position();
        try {
            int first = in.u8();
            int protocol = first == Opcodes.PROTO ? in.u8() : -1;
            if (protocol < 2 || protocol > 5) {
                throw new PthFormatException("not a pickle of protocol 2 to 5 (it starts with byte 0x"
                        + Integer.toHexString(first) + (protocol >= 0 ? ", protocol " + protocol : "") + ")");
            }
            while (true) {
                at = in.position();
                u.opcode = in.u8();
                if (u.opcode == Opcodes.STOP) {
                    return u.finish();
                }
                u.step();
            }
        } catch (PthFormatException e) {
            throw new PthFormatException(in.name() + ": " + e.getMessage() + " (" + Opcodes.name(u.opcode)
                    + " at byte " + at + ")", e);
        }
    }

    private Object finish() throws PthFormatException {
        if (stack.size() != 1 || markCount != 0) {
            throw new PthFormatException("STOP with " + stack.size() + " objects and " + markCount
                    + " open marks on the stack; expected exactly one object");
        }
        return stack.get(0);
    }

    private void step() throws IOException {
        switch (opcode) {
            case Opcodes.FRAME -> {
                long length = in.s64();
                if (length < 0 || length > in.remaining()) {
                    throw new PthFormatException("frame of " + length + " bytes is longer than the rest of the pickle");
                }
            }
            case Opcodes.MARK -> {
                if (markCount == MAX_MARKS) {
                    throw new PthFormatException("more than " + MAX_MARKS + " nested marks");
                }
                marks[markCount++] = stack.size();
            }
            case Opcodes.POP -> {
                if (stack.size() > markBase()) {
                    pop();
                } else {
                    popMark();
                }
            }
            case Opcodes.POP_MARK -> popMark();
            case Opcodes.DUP -> push(top());
            case Opcodes.NONE -> push(null);
            case Opcodes.NEWTRUE -> push(Boolean.TRUE);
            case Opcodes.NEWFALSE -> push(Boolean.FALSE);
            case Opcodes.BININT -> pushNew((long) in.s32());
            case Opcodes.BININT1 -> pushNew((long) in.u8());
            case Opcodes.BININT2 -> pushNew((long) in.u16());
            case Opcodes.LONG1 -> pushNew(decodeLong(in.u8()));
            case Opcodes.LONG4 -> pushNew(decodeLong(in.s32()));
            case Opcodes.BINFLOAT -> pushNew(in.f64BigEndian());
            case Opcodes.SHORT_BINUNICODE, Opcodes.SHORT_BINSTRING -> pushNew(text(in.u8()));
            case Opcodes.BINUNICODE -> pushNew(text(in.u32()));
            case Opcodes.BINSTRING -> pushNew(text(in.s32()));
            case Opcodes.BINUNICODE8 -> pushNew(text(in.s64()));
            case Opcodes.SHORT_BINBYTES -> pushNew(in.bytes(in.u8(), "bytes"));
            case Opcodes.BINBYTES -> pushNew(in.bytes(in.u32(), "bytes"));
            case Opcodes.BINBYTES8, Opcodes.BYTEARRAY8 -> pushNew(in.bytes(in.s64(), "bytes"));
            case Opcodes.EMPTY_TUPLE -> pushNew(tuple(List.of()));
            case Opcodes.TUPLE1, Opcodes.TUPLE2, Opcodes.TUPLE3 -> {
                int n = opcode - Opcodes.TUPLE1 + 1;
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(0, pop());
                }
                pushNew(tuple(items));
            }
            case Opcodes.TUPLE -> pushNew(tuple(popMark()));
            case Opcodes.EMPTY_LIST -> pushNew(container(new ArrayList<>()));
            case Opcodes.LIST -> {
                List<Object> items = popMark();
                List<Object> list = container(new ArrayList<>());
                for (Object item : items) {
                    append(list, item);
                }
                pushNew(list);
            }
            case Opcodes.APPEND -> {
                Object item = pop();
                append(top(), item);
            }
            case Opcodes.APPENDS -> {
                List<Object> items = popMark();
                Object list = top();
                for (Object item : items) {
                    append(list, item);
                }
            }
            case Opcodes.EMPTY_DICT -> pushNew(container(new LinkedHashMap<>()));
            case Opcodes.DICT -> {
                List<Object> items = popMark();
                Map<Object, Object> dict = container(new LinkedHashMap<>());
                setItems(dict, items);
                pushNew(dict);
            }
            case Opcodes.SETITEM -> {
                Object value = pop();
                Object key = pop();
                setItems(top(), pair(key, value));
            }
            case Opcodes.SETITEMS -> {
                List<Object> items = popMark();
                setItems(top(), items);
            }
            case Opcodes.BINPUT -> put(in.u8());
            case Opcodes.LONG_BINPUT -> put(in.u32());
            case Opcodes.MEMOIZE -> put(memo.size());
            case Opcodes.BINGET -> get(in.u8());
            case Opcodes.LONG_BINGET -> get(in.u32());
            case Opcodes.GLOBAL -> pushNew(AllowedGlobal.find(in.line(MAX_GLOBAL_NAME), in.line(MAX_GLOBAL_NAME)));
            case Opcodes.STACK_GLOBAL -> {
                Object name = pop();
                Object module = pop();
                if (!(module instanceof String m) || !(name instanceof String n)) {
                    throw new PthFormatException("STACK_GLOBAL needs two strings, got " + PickleValues.describe(module) + " and "
                            + PickleValues.describe(name));
                }
                pushNew(AllowedGlobal.find(m, n));
            }
            case Opcodes.REDUCE, Opcodes.NEWOBJ -> {
                Object args = pop();
                Object callable = pop();
                if (!(callable instanceof AllowedGlobal g)) {
                    throw new PthFormatException("cannot call " + PickleValues.describe(callable));
                }
                if (!(args instanceof Tuple t)) {
                    throw new PthFormatException(g.qualifiedName() + " called with " + PickleValues.describe(args)
                            + " instead of an argument tuple");
                }
                pushNew(g.call(t));
            }
            case Opcodes.BUILD -> {
                Object state = pop();
                // An OrderedDict's state is its instance attributes: a state_dict's _metadata, which is ignored.
                if (!(top() instanceof Map<?, ?>) || !(state == null || state instanceof Map<?, ?>)) {
                    throw new PthFormatException("BUILD (setting an object's state) is only accepted for a dict's"
                            + " attributes; got " + PickleValues.describe(state) + " for " + PickleValues.describe(top()));
                }
            }
            case Opcodes.BINPERSID -> {
                Object pid = pop();
                if (persistent == null) {
                    throw new PthFormatException("a persistent id (a storage reference) where none may occur");
                }
                pushNew(persistent.load(pid));
            }
            default -> throw new PthFormatException(Opcodes.refusal(opcode));
        }
    }

    private static List<Object> pair(Object key, Object value) {
        List<Object> kv = new ArrayList<>(2);
        kv.add(key);
        kv.add(value);
        return kv;
    }

    private String text(long length) throws IOException {
        return new String(in.bytes(length, "a string"), StandardCharsets.UTF_8);
    }

    /** Pickle's LONG: little-endian two's complement. */
    private Object decodeLong(long length) throws IOException {
        if (length < 0 || length > MAX_INT_BYTES) {
            throw new PthFormatException("integer of " + length + " bytes; at most " + MAX_INT_BYTES
                    + " are accepted");
        }
        byte[] le = in.bytes(length, "an integer");
        if (le.length == 0) {
            return 0L;
        }
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private Tuple tuple(List<Object> items) throws PthFormatException {
        Tuple t = new Tuple(items);
        int depth = 1;
        for (Object item : items) {
            depth = Math.max(depth, depth(item) + 1);
        }
        setDepth(t, depth);
        return t;
    }

    private <T> T container(T c) {
        depths.put(c, 1);
        return c;
    }

    private void append(Object list, Object item) throws PthFormatException {
        if (!(list instanceof List<?>)) {
            throw new PthFormatException("APPEND to " + PickleValues.describe(list) + "; only lists can be appended to");
        }
        @SuppressWarnings("unchecked")
        List<Object> l = (List<Object>) list;
        grow(l, item);
        l.add(item);
    }

    private void setItems(Object dict, List<Object> items) throws PthFormatException {
        if (!(dict instanceof Map<?, ?>)) {
            throw new PthFormatException("SETITEM on " + PickleValues.describe(dict) + "; only dicts take items");
        }
        if (items.size() % 2 != 0) {
            throw new PthFormatException("SETITEMS with an odd number (" + items.size() + ") of keys and values");
        }
        @SuppressWarnings("unchecked")
        Map<Object, Object> d = (Map<Object, Object>) dict;
        for (int i = 0; i < items.size(); i += 2) {
            Object key = items.get(i);
            requireHashable(key);
            grow(d, key);
            grow(d, items.get(i + 1));
            d.put(key, items.get(i + 1));
        }
    }

    /** Dict keys must be immutable values, as in Python; this also keeps hashing from recursing into containers. */
    private static void requireHashable(Object key) throws PthFormatException {
        if (key instanceof Tuple t) {
            for (Object item : t.items()) {
                requireHashable(item);
            }
        } else if (!(key == null || key instanceof String || key instanceof Long || key instanceof BigInteger
                || key instanceof Double || key instanceof Boolean)) {
            throw new PthFormatException("dict key " + PickleValues.describe(key) + " is not a string, number or tuple of them");
        }
    }

    private void grow(Object container, Object child) throws PthFormatException {
        count();
        setDepth(container, Math.max(depth(container), depth(child) + 1));
    }

    private int depth(Object o) {
        Integer d = o == null ? null : depths.get(o);
        return d == null ? 0 : d;
    }

    private void setDepth(Object container, int depth) throws PthFormatException {
        if (depth > MAX_DEPTH) {
            throw new PthFormatException("containers nest deeper than " + MAX_DEPTH + " levels");
        }
        depths.put(container, depth);
    }

    private void put(long index) throws PthFormatException {
        if (index >= MAX_MEMO) {
            throw new PthFormatException("memo index " + index + " exceeds the limit of " + MAX_MEMO);
        }
        memo.put((int) index, top());
    }

    private void get(long index) throws PthFormatException {
        Integer key = index < MAX_MEMO ? (int) index : null;
        if (key == null || !memo.containsKey(key)) {
            throw new PthFormatException("memo index " + index + " was never stored");
        }
        push(memo.get(key));
    }

    private void pushNew(Object o) throws PthFormatException {
        count();
        push(o);
    }

    private void count() throws PthFormatException {
        if (++objects > MAX_OBJECTS) {
            throw new PthFormatException("more than " + MAX_OBJECTS + " objects and container items");
        }
    }

    private void push(Object o) throws PthFormatException {
        if (stack.size() >= MAX_STACK) {
            throw new PthFormatException("stack deeper than " + MAX_STACK + " items");
        }
        stack.add(o);
    }

    private int markBase() {
        return markCount == 0 ? 0 : marks[markCount - 1];
    }

    private Object top() throws PthFormatException {
        if (stack.size() <= markBase()) {
            throw new PthFormatException("stack underflow");
        }
        return stack.get(stack.size() - 1);
    }

    private Object pop() throws PthFormatException {
        Object o = top();
        stack.remove(stack.size() - 1);
        return o;
    }

    /** Removes and returns the items above the topmost mark, and the mark. */
    private List<Object> popMark() throws PthFormatException {
        if (markCount == 0) {
            throw new PthFormatException("no mark to pop to");
        }
        int base = marks[--markCount];
        List<Object> view = stack.subList(base, stack.size());
        List<Object> items = new ArrayList<>(view);
        view.clear();
        return items;
    }
}
