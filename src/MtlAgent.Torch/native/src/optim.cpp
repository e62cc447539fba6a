// Optimizer steps: one native call updates every parameter in place with preallocated state.
// CPU contiguous float32/float64 tensors take a fused single-pass loop (the maths of PyTorch's
// single-tensor implementation); anything else (e.g. CUDA) takes the same maths as ATen ops.
#include "bridge.h"

#include <ATen/core/grad_mode.h>
#include <cmath>

using namespace mt;

namespace {

bool fusable(const at::Tensor& p, std::initializer_list<const at::Tensor*> others) {
  if (!p.device().is_cpu() || !p.is_contiguous()) return false;
  auto st = p.scalar_type();
  if (st != at::kFloat && st != at::kDouble) return false;
  for (auto* t : others) {
    if (!t->defined()) continue;
    if (!t->device().is_cpu() || !t->is_contiguous() || t->scalar_type() != st || t->numel() != p.numel())
      return false;
  }
  return true;
}

// Branch-free loops per variant so the compiler vectorises them (sqrt and division included);
// target_clones adds an AVX2 copy picked at load time on CPUs that have it.
#define MT_SIMD_CLONES __attribute__((target_clones("avx2", "default")))

template <typename S, bool Centered, bool Momentum, bool Decay>
MT_SIMD_CLONES void rmsprop_kernel(int64_t n, S* __restrict p, const S* __restrict g, S* __restrict v,
                                   S* __restrict m, S* __restrict buf, S lr, S alpha, S eps, S wd, S momentum) {
  const S one_minus_alpha = S(1) - alpha;
  for (int64_t i = 0; i < n; ++i) {
    S gi = Decay ? g[i] + wd * p[i] : g[i];
    S vi = v[i] * alpha + one_minus_alpha * gi * gi;
    v[i] = vi;
    S avg;
    if constexpr (Centered) {
      S mi = m[i] * alpha + one_minus_alpha * gi;
      m[i] = mi;
      avg = std::sqrt(vi - mi * mi) + eps;
    } else {
      avg = std::sqrt(vi) + eps;
    }
    if constexpr (Momentum) {
      S bi = buf[i] * momentum + gi / avg;
      buf[i] = bi;
      p[i] -= lr * bi;
    } else {
      p[i] -= lr * (gi / avg);
    }
  }
}

template <typename S, bool Centered, bool Momentum>
void rmsprop_decay(bool decay, int64_t n, S* p, const S* g, S* v, S* m, S* buf, S lr, S alpha, S eps, S wd, S mom) {
  if (decay) rmsprop_kernel<S, Centered, Momentum, true>(n, p, g, v, m, buf, lr, alpha, eps, wd, mom);
  else rmsprop_kernel<S, Centered, Momentum, false>(n, p, g, v, m, buf, lr, alpha, eps, wd, mom);
}

template <typename S>
void rmsprop_loop(int64_t n, S* p, const S* g, S* v, S* m, S* buf, S lr, S alpha, S eps, S wd, S mom) {
  bool decay = wd != S(0);
  if (m && buf) rmsprop_decay<S, true, true>(decay, n, p, g, v, m, buf, lr, alpha, eps, wd, mom);
  else if (m) rmsprop_decay<S, true, false>(decay, n, p, g, v, m, buf, lr, alpha, eps, wd, mom);
  else if (buf) rmsprop_decay<S, false, true>(decay, n, p, g, v, m, buf, lr, alpha, eps, wd, mom);
  else rmsprop_decay<S, false, false>(decay, n, p, g, v, m, buf, lr, alpha, eps, wd, mom);
}

template <typename S, bool AmsGrad, bool Decay>
MT_SIMD_CLONES void adam_kernel(int64_t n, S* __restrict p, const S* __restrict g, S* __restrict m,
                                S* __restrict v, S* __restrict vmax, S step_size, S beta1, S beta2, S eps, S wd,
                                S bc2_sqrt) {
  for (int64_t i = 0; i < n; ++i) {
    S gi = Decay ? g[i] + wd * p[i] : g[i];
    S mi = m[i] * beta1 + (S(1) - beta1) * gi;
    S vi = v[i] * beta2 + (S(1) - beta2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    if constexpr (AmsGrad) {
      vi = vmax[i] > vi ? vmax[i] : vi;
      vmax[i] = vi;
    }
    S denom = std::sqrt(vi) / bc2_sqrt + eps;
    p[i] -= step_size * (mi / denom);
  }
}

template <typename S>
void adam_loop(int64_t n, S* p, const S* g, S* m, S* v, S* vmax, S step_size, S beta1, S beta2, S eps, S wd,
               S bc2_sqrt) {
  bool decay = wd != S(0);
  if (vmax && decay) adam_kernel<S, true, true>(n, p, g, m, v, vmax, step_size, beta1, beta2, eps, wd, bc2_sqrt);
  else if (vmax) adam_kernel<S, true, false>(n, p, g, m, v, vmax, step_size, beta1, beta2, eps, wd, bc2_sqrt);
  else if (decay) adam_kernel<S, false, true>(n, p, g, m, v, vmax, step_size, beta1, beta2, eps, wd, bc2_sqrt);
  else adam_kernel<S, false, false>(n, p, g, m, v, vmax, step_size, beta1, beta2, eps, wd, bc2_sqrt);
}

template <typename S>
S* ptr(const at::Tensor& t) {
  return t.defined() ? t.data_ptr<S>() : nullptr;
}

}  // namespace

// grad_avg may be null (not centered); momentum_buf may be null (momentum == 0).
// Parameters without a gradient are skipped, as in PyTorch.
MT_API int mt_rmsprop_step(void** params, void** square_avg, void** grad_avg, void** momentum_buf, int n, double lr,
                           double alpha, double eps, double weight_decay, double momentum) {
  MT_TRY
  at::NoGradGuard no_grad;
  for (int i = 0; i < n; ++i) {
    at::Tensor& p = T(params[i]);
    const at::Tensor& g = p.grad();
    if (!g.defined()) continue;
    at::Tensor& v = T(square_avg[i]);
    at::Tensor m = grad_avg ? T(grad_avg[i]) : at::Tensor();
    at::Tensor b = momentum_buf ? T(momentum_buf[i]) : at::Tensor();
    if (fusable(p, {&g, &v, &m, &b})) {
      if (p.scalar_type() == at::kFloat)
        rmsprop_loop<float>(p.numel(), ptr<float>(p), ptr<float>(g), ptr<float>(v), ptr<float>(m), ptr<float>(b),
                            float(lr), float(alpha), float(eps), float(weight_decay), float(momentum));
      else
        rmsprop_loop<double>(p.numel(), ptr<double>(p), ptr<double>(g), ptr<double>(v), ptr<double>(m),
                             ptr<double>(b), lr, alpha, eps, weight_decay, momentum);
      continue;
    }
    at::Tensor grad = weight_decay != 0 ? g.add(p, weight_decay) : g;
    v.mul_(alpha).addcmul_(grad, grad, 1 - alpha);
    at::Tensor avg;
    if (m.defined()) {
      m.mul_(alpha).add_(grad, 1 - alpha);
      avg = v.addcmul(m, m, -1).sqrt_().add_(eps);
    } else {
      avg = v.sqrt().add_(eps);
    }
    if (b.defined()) {
      b.mul_(momentum).addcdiv_(grad, avg);
      p.add_(b, -lr);
    } else {
      p.addcdiv_(grad, avg, -lr);
    }
  }
  return 0;
  MT_CATCH(-1)
}

// steps[i] is parameter i's step count, incremented here. max_exp_avg_sq null unless amsgrad.
MT_API int mt_adam_step(void** params, void** exp_avg, void** exp_avg_sq, void** max_exp_avg_sq, int64_t* steps,
                        int n, double lr, double beta1, double beta2, double eps, double weight_decay) {
  MT_TRY
  at::NoGradGuard no_grad;
  for (int i = 0; i < n; ++i) {
    at::Tensor& p = T(params[i]);
    const at::Tensor& g = p.grad();
    if (!g.defined()) continue;
    at::Tensor& m = T(exp_avg[i]);
    at::Tensor& v = T(exp_avg_sq[i]);
    at::Tensor vmax = max_exp_avg_sq ? T(max_exp_avg_sq[i]) : at::Tensor();
    int64_t step = ++steps[i];
    double bc1 = 1 - std::pow(beta1, static_cast<double>(step));
    double bc2 = 1 - std::pow(beta2, static_cast<double>(step));
    double step_size = lr / bc1;
    double bc2_sqrt = std::sqrt(bc2);
    if (fusable(p, {&g, &m, &v, &vmax})) {
      if (p.scalar_type() == at::kFloat)
        adam_loop<float>(p.numel(), ptr<float>(p), ptr<float>(g), ptr<float>(m), ptr<float>(v), ptr<float>(vmax),
                         float(step_size), float(beta1), float(beta2), float(eps), float(weight_decay),
                         float(bc2_sqrt));
      else
        adam_loop<double>(p.numel(), ptr<double>(p), ptr<double>(g), ptr<double>(m), ptr<double>(v),
                          ptr<double>(vmax), step_size, beta1, beta2, eps, weight_decay, bc2_sqrt);
      continue;
    }
    at::Tensor grad = weight_decay != 0 ? g.add(p, weight_decay) : g;
    m.mul_(beta1).add_(grad, 1 - beta1);
    v.mul_(beta2).addcmul_(grad, grad, 1 - beta2);
    at::Tensor denom;
    if (vmax.defined()) {
      at::maximum_out(vmax, vmax, v);
      denom = (vmax.sqrt() / bc2_sqrt).add_(eps);
    } else {
      denom = (v.sqrt() / bc2_sqrt).add_(eps);
    }
    p.addcdiv_(m, denom, -step_size);
  }
  return 0;
  MT_CATCH(-1)
}
