// Neural-network functions, initialisation and whole-module utilities.
#include "bridge.h"

#include <ATen/core/grad_mode.h>
#include <cmath>

using namespace mt;

MT_API void* mt_conv2d(void* x, void* w, void* b, int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w,
                       int64_t dil_h, int64_t dil_w, int64_t groups) {
  MT_TRY
  // Named vectors: a braced {0,0} is ambiguous with the string-padding overload in some versions.
  std::vector<int64_t> stride{stride_h, stride_w}, padding{pad_h, pad_w}, dilation{dil_h, dil_w};
  return wrap(at::conv2d(T(x), T(w), opt(b), at::IntArrayRef(stride), at::IntArrayRef(padding),
                         at::IntArrayRef(dilation), groups));
  MT_CATCH(nullptr)
}

MT_API void* mt_linear(void* x, void* w, void* b) {
  MT_TRY
  return wrap(at::linear(T(x), T(w), opt(b)));
  MT_CATCH(nullptr)
}

enum Loss { SMOOTH_L1 = 0, MSE, HUBER, L1 };

// reduction: 0 none, 1 mean, 2 sum (at::Reduction). param: beta (smooth L1) or delta (Huber).
MT_API void* mt_loss(int op, void* input, void* target, int reduction, double param) {
  MT_TRY
  const at::Tensor& x = T(input);
  const at::Tensor& y = T(target);
  switch (op) {
    case SMOOTH_L1: return wrap(at::smooth_l1_loss(x, y, reduction, param));
    case MSE: return wrap(at::mse_loss(x, y, reduction));
    case HUBER: return wrap(at::huber_loss(x, y, reduction, param));
    case L1: return wrap(at::l1_loss(x, y, reduction));
  }
  throw std::runtime_error("unknown loss " + std::to_string(op));
  MT_CATCH(nullptr)
}

MT_API void* mt_one_hot(void* index, int64_t num_classes) {
  MT_TRY
  return wrap(at::one_hot(T(index), num_classes));
  MT_CATCH(nullptr)
}

// op 0: uniform_(a, b), 1: normal_(mean a, std b). In place, without recording autograd history.
MT_API int mt_init_(int op, void* h, double a, double b) {
  MT_TRY
  at::NoGradGuard no_grad;
  if (op == 0) T(h).uniform_(a, b);
  else T(h).normal_(a, b);
  return 0;
  MT_CATCH(-1)
}

// torch.nn.utils.clip_grad_norm_: scales all gradients in place so their joint norm is at most max_norm.
MT_API int mt_clip_grad_norm(void** params, int n, double max_norm, double norm_type, double* total_out) {
  MT_TRY
  at::NoGradGuard no_grad;
  std::vector<at::Tensor> grads;
  for (int i = 0; i < n; ++i)
    if (T(params[i]).grad().defined()) grads.push_back(T(params[i]).grad());
  if (grads.empty()) {
    *total_out = 0;
    return 0;
  }
  at::Tensor total;
  if (std::isinf(norm_type)) {
    std::vector<at::Tensor> norms;
    for (auto& g : grads) norms.push_back(g.detach().abs().max());
    total = norms.size() == 1 ? norms[0] : at::stack(norms).max();
  } else {
    std::vector<at::Tensor> norms;
    for (auto& g : grads) norms.push_back(at::norm(g.detach(), norm_type));
    total = at::norm(at::stack(norms), norm_type);
  }
  auto coef = at::clamp_max(max_norm / (total + 1e-6), 1.0);
  for (auto& g : grads) g.mul_(coef.to(g.device()));
  *total_out = total.item().toDouble();
  return 0;
  MT_CATCH(-1)
}

// Target-network sync: dst[i].copy_(src[i]) for every pair, one call.
MT_API int mt_copy_all(void** dst, void** src, int n) {
  MT_TRY
  at::NoGradGuard no_grad;
  for (int i = 0; i < n; ++i) T(dst[i]).copy_(T(src[i]));
  return 0;
  MT_CATCH(-1)
}

// Polyak averaging: dst = (1 - tau) dst + tau src, one call.
MT_API int mt_lerp_all(void** dst, void** src, int n, double tau) {
  MT_TRY
  at::NoGradGuard no_grad;
  for (int i = 0; i < n; ++i) T(dst[i]).lerp_(T(src[i]), tau);
  return 0;
  MT_CATCH(-1)
}

// set_to_none: drop the gradients (PyTorch 2's default: the next backward writes fresh ones instead
// of adding into zeros); otherwise zero them in place.
MT_API int mt_zero_grad(void** params, int n, int set_to_none) {
  MT_TRY
  for (int i = 0; i < n; ++i) {
    at::Tensor& g = T(params[i]).mutable_grad();
    if (set_to_none) {
      g.reset();
    } else if (g.defined()) {
      g = g.detach();
      g.zero_();
    }
  }
  return 0;
  MT_CATCH(-1)
}
