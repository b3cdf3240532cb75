// cnn4j op codes: generated from org.cnn4j.cuda.OpCodes (OpCodesTest), do not edit.
// Regenerate: ./mvnw -B -pl cuda-backend -am test -Dtest=OpCodesTest -Dsurefire.failIfNoSpecifiedTests=false -Dcnn4j.cuda.writeOpsHeader=true
#ifndef CNN4J_OPS_H
#define CNN4J_OPS_H

#define CNN4J_BLOCK 256  // threads per block of every launch

enum BinaryOpCode { BINARY_ADD = 0, BINARY_SUB = 1, BINARY_MUL = 2, BINARY_DIV = 3 };
enum UnaryOpCode { UNARY_NEG = 0, UNARY_EXP = 1, UNARY_LOG = 2, UNARY_SQRT = 3, UNARY_SQUARE = 4, UNARY_ABS = 5, UNARY_SIGN = 6 };
enum ScalarOpCode { SCALAR_ADD = 0, SCALAR_MUL = 1, SCALAR_POW = 2, SCALAR_RSUB = 3, SCALAR_RDIV = 4 };
enum ActivationCode { ACT_RELU = 0, ACT_LEAKY_RELU = 1, ACT_SIGMOID = 2, ACT_TANH = 3, ACT_GELU = 4, ACT_SILU = 5, ACT_HARDSWISH = 6, ACT_HARDSIGMOID = 7, ACT_RELU6 = 8, ACT_ERF = 9 };

#endif
