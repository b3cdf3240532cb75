package org.cnn4j.io.pth;

import java.util.HashMap;
import java.util.Map;

/** Pickle opcodes (CPython's Lib/pickle.py) and their names for messages. */
final class Opcodes {
    static final int MARK = '(';
    static final int STOP = '.';
    static final int POP = '0';
    static final int POP_MARK = '1';
    static final int DUP = '2';
    static final int BINFLOAT = 'G';
    static final int BININT = 'J';
    static final int BININT1 = 'K';
    static final int BININT2 = 'M';
    static final int NONE = 'N';
    static final int BINPERSID = 'Q';
    static final int REDUCE = 'R';
    static final int BINSTRING = 'T';
    static final int SHORT_BINSTRING = 'U';
    static final int BINUNICODE = 'X';
    static final int APPEND = 'a';
    static final int BUILD = 'b';
    static final int GLOBAL = 'c';
    static final int DICT = 'd';
    static final int EMPTY_DICT = '}';
    static final int APPENDS = 'e';
    static final int BINGET = 'h';
    static final int LONG_BINGET = 'j';
    static final int LIST = 'l';
    static final int EMPTY_LIST = ']';
    static final int BINPUT = 'q';
    static final int LONG_BINPUT = 'r';
    static final int SETITEM = 's';
    static final int TUPLE = 't';
    static final int EMPTY_TUPLE = ')';
    static final int SETITEMS = 'u';
    static final int PROTO = 0x80;
    static final int NEWOBJ = 0x81;
    static final int TUPLE1 = 0x85;
    static final int TUPLE2 = 0x86;
    static final int TUPLE3 = 0x87;
    static final int NEWTRUE = 0x88;
    static final int NEWFALSE = 0x89;
    static final int LONG1 = 0x8a;
    static final int LONG4 = 0x8b;
    static final int BINBYTES = 'B';
    static final int SHORT_BINBYTES = 'C';
    static final int SHORT_BINUNICODE = 0x8c;
    static final int BINUNICODE8 = 0x8d;
    static final int BINBYTES8 = 0x8e;
    static final int STACK_GLOBAL = 0x93;
    static final int MEMOIZE = 0x94;
    static final int FRAME = 0x95;
    static final int BYTEARRAY8 = 0x96;

    /** Opcodes that exist but are refused, with the reason. */
    private static final Map<Integer, String> REFUSED = new HashMap<>();

    static {
        String calls = " (it calls a class named in the file)";
        REFUSED.put((int) 'i', "INST" + calls);
        REFUSED.put((int) 'o', "OBJ" + calls);
        REFUSED.put(0x92, "NEWOBJ_EX" + calls);
        String ext = " (it names a callable through Python's copyreg extension registry)";
        REFUSED.put(0x82, "EXT1" + ext);
        REFUSED.put(0x83, "EXT2" + ext);
        REFUSED.put(0x84, "EXT4" + ext);
        String buffers = " (out-of-band buffers are not part of a file)";
        REFUSED.put(0x97, "NEXT_BUFFER" + buffers);
        REFUSED.put(0x98, "READONLY_BUFFER" + buffers);
        String text = " (a protocol 0/1 text opcode; torch.save writes protocol 2 or later)";
        for (char c : new char[]{'F', 'I', 'L', 'S', 'V', 'g', 'p', 'P'}) {
            REFUSED.put((int) c, "'" + c + "'" + text);
        }
        String sets = " (sets do not occur in weights files)";
        REFUSED.put(0x8f, "EMPTY_SET" + sets);
        REFUSED.put(0x90, "ADDITEMS" + sets);
        REFUSED.put(0x91, "FROZENSET" + sets);
    }

    private Opcodes() {
    }

    /** The message for an opcode that is not interpreted. */
    static String refusal(int opcode) {
        String reason = REFUSED.get(opcode);
        return reason != null ? "opcode " + reason + " is not allowed"
                : "unknown opcode 0x" + Integer.toHexString(opcode) + " (not a valid pickle, or corrupt)";
    }

    /** A short name for messages: the opcode character or its hex value. */
    static String name(int opcode) {
        return opcode >= 0x21 && opcode <= 0x7e ? "opcode '" + (char) opcode + "'" : "opcode 0x"
                + Integer.toHexString(opcode);
    }
}
