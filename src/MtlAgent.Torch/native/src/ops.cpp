// Element-wise maths, reductions, shape and indexing operations.
#include "bridge.h"

using namespace mt;

enum Unary {
  RELU = 0, NEG, SQRT, ABS, EXP, LOG, DETACH, CLONE, CONTIGUOUS, SUM_ALL, MEAN_ALL, MAX_ALL, MIN_ALL,
  ARGMAX_ALL, SQUEEZE_ALL, SIGMOID, TANH, SIGN, LOGICAL_NOT, ISNAN, SQUARE, FLOOR, ROUND, RECIPROCAL, T_2D
};

MT_API void* mt_unary(int op, void* h) {
  MT_TRY
  const at::Tensor& t = T(h);
  switch (op) {
    case RELU: return wrap(at::relu(t));
    case NEG: return wrap(at::neg(t));
    case SQRT: return wrap(at::sqrt(t));
    case ABS: return wrap(at::abs(t));
    case EXP: return wrap(at::exp(t));
    case LOG: return wrap(at::log(t));
    case DETACH: return wrap(t.detach());
    case CLONE: return wrap(t.clone());
    case CONTIGUOUS: return wrap(t.contiguous());
    case SUM_ALL: return wrap(t.sum());
    case MEAN_ALL: return wrap(t.mean());
    case MAX_ALL: return wrap(t.max());
    case MIN_ALL: return wrap(t.min());
    case ARGMAX_ALL: return wrap(t.argmax());
    case SQUEEZE_ALL: return wrap(t.squeeze());
    case SIGMOID: return wrap(at::sigmoid(t));
    case TANH: return wrap(at::tanh(t));
    case SIGN: return wrap(at::sign(t));
    case LOGICAL_NOT: return wrap(at::logical_not(t));
    case ISNAN: return wrap(at::isnan(t));
    case SQUARE: return wrap(at::square(t));
    case FLOOR: return wrap(at::floor(t));
    case ROUND: return wrap(at::round(t));
    case RECIPROCAL: return wrap(at::reciprocal(t));
    case T_2D: return wrap(t.t());
  }
  throw std::runtime_error("unknown unary op " + std::to_string(op));
  MT_CATCH(nullptr)
}

enum Binary { ADD = 0, SUB, MUL, DIV, MATMUL, EQ, NE, LT, LE, GT, GE, POW, MAXIMUM, MINIMUM, LOGICAL_AND, LOGICAL_OR };

MT_API void* mt_binary(int op, void* a, void* b) {
  MT_TRY
  const at::Tensor& x = T(a);
  const at::Tensor& y = T(b);
  switch (op) {
    case ADD: return wrap(at::add(x, y));
    case SUB: return wrap(at::sub(x, y));
    case MUL: return wrap(at::mul(x, y));
    case DIV: return wrap(at::div(x, y));
    case MATMUL: return wrap(at::matmul(x, y));
    case EQ: return wrap(at::eq(x, y));
    case NE: return wrap(at::ne(x, y));
    case LT: return wrap(at::lt(x, y));
    case LE: return wrap(at::le(x, y));
    case GT: return wrap(at::gt(x, y));
    case GE: return wrap(at::ge(x, y));
    case POW: return wrap(at::pow(x, y));
    case MAXIMUM: return wrap(at::maximum(x, y));
    case MINIMUM: return wrap(at::minimum(x, y));
    case LOGICAL_AND: return wrap(at::logical_and(x, y));
    case LOGICAL_OR: return wrap(at::logical_or(x, y));
  }
  throw std::runtime_error("unknown binary op " + std::to_string(op));
  MT_CATCH(nullptr)
}

// A Python number on one side: wrapped so type promotion treats it as PyTorch does (float32 stays float32).
static at::Tensor wrapped(double s) {
  auto t = at::scalar_tensor(s, at::kDouble);
  t.unsafeGetTensorImpl()->set_wrapped_number(true);
  return t;
}

enum BinaryScalar { S_ADD = 0, S_SUB, S_MUL, S_DIV, S_RSUB, S_RDIV, S_POW, S_EQ, S_NE, S_LT, S_LE, S_GT, S_GE, S_RPOW };

MT_API void* mt_binary_scalar(int op, void* a, double s) {
  MT_TRY
  const at::Tensor& x = T(a);
  switch (op) {
    case S_ADD: return wrap(at::add(x, s));
    case S_SUB: return wrap(at::sub(x, s));
    case S_MUL: return wrap(at::mul(x, s));
    case S_DIV: return wrap(at::div(x, s));
    case S_RSUB: return wrap(at::sub(wrapped(s), x));
    case S_RDIV: return wrap(at::div(wrapped(s), x));
    case S_POW: return wrap(at::pow(x, s));
    case S_EQ: return wrap(at::eq(x, s));
    case S_NE: return wrap(at::ne(x, s));
    case S_LT: return wrap(at::lt(x, s));
    case S_LE: return wrap(at::le(x, s));
    case S_GT: return wrap(at::gt(x, s));
    case S_GE: return wrap(at::ge(x, s));
    case S_RPOW: return wrap(at::pow(s, x));
  }
  throw std::runtime_error("unknown scalar op " + std::to_string(op));
  MT_CATCH(nullptr)
}

enum Inplace { I_ADD = 0, I_SUB, I_MUL, I_DIV, I_COPY };

MT_API int mt_inplace(int op, void* a, void* b, double alpha) {
  MT_TRY
  at::Tensor& x = T(a);
  const at::Tensor& y = T(b);
  switch (op) {
    case I_ADD: x.add_(y, alpha); return 0;
    case I_SUB: x.sub_(y, alpha); return 0;
    case I_MUL: x.mul_(y); return 0;
    case I_DIV: x.div_(y); return 0;
    case I_COPY: x.copy_(y); return 0;
  }
  throw std::runtime_error("unknown in-place op " + std::to_string(op));
  MT_CATCH(-1)
}

enum InplaceScalar { IS_ADD = 0, IS_SUB, IS_MUL, IS_DIV, IS_FILL, IS_ZERO, IS_RELU, IS_CLAMP_MIN, IS_CLAMP_MAX };

MT_API int mt_inplace_scalar(int op, void* a, double s) {
  MT_TRY
  at::Tensor& x = T(a);
  switch (op) {
    case IS_ADD: x.add_(s); return 0;
    case IS_SUB: x.sub_(s); return 0;
    case IS_MUL: x.mul_(s); return 0;
    case IS_DIV: x.div_(s); return 0;
    case IS_FILL: x.fill_(s); return 0;
    case IS_ZERO: x.zero_(); return 0;
    case IS_RELU: x.relu_(); return 0;
    case IS_CLAMP_MIN: x.clamp_min_(s); return 0;
    case IS_CLAMP_MAX: x.clamp_max_(s); return 0;
  }
  throw std::runtime_error("unknown in-place scalar op " + std::to_string(op));
  MT_CATCH(-1)
}

enum Reduce { R_SUM = 0, R_MEAN, R_AMAX, R_AMIN, R_STD, R_VAR };

MT_API void* mt_reduce_dims(int op, void* h, const int64_t* ds, int n, int keepdim) {
  MT_TRY
  const at::Tensor& t = T(h);
  auto d = dims(ds, n);
  bool k = keepdim != 0;
  switch (op) {
    case R_SUM: return wrap(t.sum(d, k));
    case R_MEAN: return wrap(t.mean(d, k));
    case R_AMAX: return wrap(t.amax(d, k));
    case R_AMIN: return wrap(t.amin(d, k));
    case R_STD: return wrap(at::std(t, d, /*unbiased=*/true, k));
    case R_VAR: return wrap(at::var(t, d, /*unbiased=*/true, k));
  }
  throw std::runtime_error("unknown reduction " + std::to_string(op));
  MT_CATCH(nullptr)
}

// op 0: max, 1: min. Returns values and indices along dim.
MT_API int mt_max_dim(int op, void* h, int64_t dim, int keepdim, void** values, void** indices) {
  MT_TRY
  auto r = op == 0 ? T(h).max(dim, keepdim != 0) : T(h).min(dim, keepdim != 0);
  *values = wrap(std::get<0>(r));
  *indices = wrap(std::get<1>(r));
  return 0;
  MT_CATCH(-1)
}

// op 0: argmax, 1: argmin.
MT_API void* mt_argmax_dim(int op, void* h, int64_t dim, int keepdim) {
  MT_TRY
  return wrap(op == 0 ? T(h).argmax(dim, keepdim != 0) : T(h).argmin(dim, keepdim != 0));
  MT_CATCH(nullptr)
}

// op 0: softmax, 1: log_softmax.
MT_API void* mt_softmax(int op, void* h, int64_t dim) {
  MT_TRY
  return wrap(op == 0 ? at::softmax(T(h), dim) : at::log_softmax(T(h), dim));
  MT_CATCH(nullptr)
}

enum Shape { RESHAPE = 0, VIEW, PERMUTE, EXPAND, REPEAT };

MT_API void* mt_shape_op(int op, void* h, const int64_t* ds, int n) {
  MT_TRY
  const at::Tensor& t = T(h);
  auto d = dims(ds, n);
  switch (op) {
    case RESHAPE: return wrap(t.reshape(d));
    case VIEW: return wrap(t.view(d));
    case PERMUTE: return wrap(t.permute(d));
    case EXPAND: return wrap(t.expand(d));
    case REPEAT: return wrap(t.repeat(d));
  }
  throw std::runtime_error("unknown shape op " + std::to_string(op));
  MT_CATCH(nullptr)
}

MT_API void* mt_flatten(void* h, int64_t start, int64_t end) {
  MT_TRY
  return wrap(T(h).flatten(start, end));
  MT_CATCH(nullptr)
}

// op 0: unsqueeze, 1: squeeze(dim), 2: select(dim, index) with index in a, 3: transpose(a, b).
MT_API void* mt_dim_op(int op, void* h, int64_t a, int64_t b) {
  MT_TRY
  const at::Tensor& t = T(h);
  switch (op) {
    case 0: return wrap(t.unsqueeze(a));
    case 1: return wrap(t.squeeze(a));
    case 2: return wrap(t.select(a, b));
    case 3: return wrap(t.transpose(a, b));
  }
  throw std::runtime_error("unknown dim op " + std::to_string(op));
  MT_CATCH(nullptr)
}

MT_API void* mt_narrow(void* h, int64_t dim, int64_t start, int64_t length) {
  MT_TRY
  return wrap(T(h).narrow(dim, start, length));
  MT_CATCH(nullptr)
}

// op 0: index_select, 1: gather.
MT_API void* mt_index_op(int op, void* h, int64_t dim, void* index) {
  MT_TRY
  return wrap(op == 0 ? T(h).index_select(dim, T(index)) : T(h).gather(dim, T(index)));
  MT_CATCH(nullptr)
}

// Out-of-place scatter; src null means fill with value. inplace != 0 scatters into h itself.
MT_API void* mt_scatter(void* h, int64_t dim, void* index, void* src, double value, int inplace) {
  MT_TRY
  at::Tensor& t = T(h);
  if (inplace) {
    if (src) t.scatter_(dim, T(index), T(src));
    else t.scatter_(dim, T(index), value);
    return wrap(t);
  }
  return wrap(src ? t.scatter(dim, T(index), T(src)) : t.scatter(dim, T(index), value));
  MT_CATCH(nullptr)
}

// op 0: cat, 1: stack.
MT_API void* mt_cat(int op, void** hs, int n, int64_t dim) {
  MT_TRY
  auto v = list(hs, n);
  return wrap(op == 0 ? at::cat(v, dim) : at::stack(v, dim));
  MT_CATCH(nullptr)
}

MT_API void* mt_where(void* cond, void* a, void* b) {
  MT_TRY
  return wrap(at::where(T(cond), T(a), T(b)));
  MT_CATCH(nullptr)
}

MT_API void* mt_clamp(void* h, int has_min, double min, int has_max, double max) {
  MT_TRY
  c10::optional<at::Scalar> lo, hi;
  if (has_min) lo = at::Scalar(min);
  if (has_max) hi = at::Scalar(max);
  return wrap(at::clamp(T(h), lo, hi));
  MT_CATCH(nullptr)
}

MT_API void* mt_to(void* h, int dtype, int device_type, int device_index, int copy) {
  MT_TRY
  const at::Tensor& t = T(h);
  auto d = at::Device(static_cast<at::DeviceType>(device_type), static_cast<c10::DeviceIndex>(device_index));
  return wrap(t.to(d, static_cast<at::ScalarType>(dtype), /*non_blocking=*/false, copy != 0));
  MT_CATCH(nullptr)
}
