namespace MtlAgent.Torch.Native;

// Mirrors of the op enums in native/src/*.cpp; keep in the same order.
internal enum Unary { Relu, Neg, Sqrt, Abs, Exp, Log, Detach, Clone, Contiguous, SumAll, MeanAll, MaxAll, MinAll, ArgmaxAll, SqueezeAll, Sigmoid, Tanh, Sign, LogicalNot, IsNan, Square, Floor, Round, Reciprocal, T2D }
internal enum Binary { Add, Sub, Mul, Div, Matmul, Eq, Ne, Lt, Le, Gt, Ge, Pow, Maximum, Minimum, LogicalAnd, LogicalOr }
internal enum BinaryScalar { Add, Sub, Mul, Div, RSub, RDiv, Pow, Eq, Ne, Lt, Le, Gt, Ge, RPow }
internal enum Inplace { Add, Sub, Mul, Div, Copy }
internal enum InplaceScalar { Add, Sub, Mul, Div, Fill, Zero, Relu, ClampMin, ClampMax }
internal enum Reduce { Sum, Mean, Amax, Amin, Std, Var }
internal enum ShapeOp { Reshape, View, Permute, Expand, Repeat }
internal enum DimOp { Unsqueeze, Squeeze, Select, Transpose }
internal enum Factory { Zeros, Ones, Empty, Randn, Rand }
internal enum Loss { SmoothL1, Mse, Huber, L1 }
