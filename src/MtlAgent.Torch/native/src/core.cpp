// Library lifetime, errors, threads, tensor properties, host copies, autograd, RNG, devices.
#include "bridge.h"

#include <ATen/Parallel.h>
#include <ATen/core/grad_mode.h>
#include <c10/core/DeviceType.h>
#include <dlfcn.h>
#include <torch/cuda.h>

#include <cstring>
#include <mutex>

namespace mt {
std::atomic<int64_t> live_tensors{0};
static thread_local std::string last_error;
void set_error(const char* message) { last_error = message ? message : "(no message)"; }
}  // namespace mt

using namespace mt;

MT_API int mt_abi_version() { return MT_ABI_VERSION; }

MT_API const char* mt_last_error() { return last_error.c_str(); }

// OpenBLAS must run single-threaded under torch (measured: 3-46x slower otherwise). Looked up with
// dlsym so the library still loads where libtorch uses another BLAS. .NET loads this library
// RTLD_LOCAL, so its dependencies are not in the global scope: ask the loaded OpenBLAS directly.
template <typename Fn>
static Fn openblas_symbol(const char* name) {
  for (const char* lib : {"libopenblas.so.0", "libopenblasp.so.0", "libopenblas.so"}) {
    if (void* h = dlopen(lib, RTLD_LAZY | RTLD_NOLOAD)) {
      void* f = dlsym(h, name);
      dlclose(h);
      if (f) return reinterpret_cast<Fn>(f);
    }
  }
  return reinterpret_cast<Fn>(dlsym(RTLD_DEFAULT, name));
}

static void set_openblas_threads(int n) {
  if (auto fn = openblas_symbol<void (*)(int)>("openblas_set_num_threads")) fn(n);
}

// OpenBLAS's thread count, or -1 where libtorch does not use OpenBLAS.
MT_API int mt_blas_num_threads() {
  auto fn = openblas_symbol<int (*)()>("openblas_get_num_threads");
  return fn ? fn() : -1;
}

MT_API int mt_init(int threads) {
  MT_TRY
  set_openblas_threads(1);
  if (threads > 0) at::set_num_threads(threads);
  return 0;
  MT_CATCH(-1)
}

MT_API int mt_set_num_threads(int threads) {
  MT_TRY
  set_openblas_threads(1);
  at::set_num_threads(threads);
  return 0;
  MT_CATCH(-1)
}

MT_API int mt_get_num_threads() {
  MT_TRY
  return at::get_num_threads();
  MT_CATCH(-1)
}

MT_API int64_t mt_live_tensors() { return live_tensors.load(std::memory_order_relaxed); }

MT_API void mt_free(void* h) {
  if (!h) return;
  try {
    delete static_cast<at::Tensor*>(h);
  } catch (...) {
  }
  live_tensors.fetch_sub(1, std::memory_order_relaxed);
}

MT_API int mt_cuda_available() {
  try {
    return torch::cuda::is_available() ? 1 : 0;
  } catch (...) {
    return 0;
  }
}

MT_API int mt_cuda_device_count() {
  try {
    return static_cast<int>(torch::cuda::device_count());
  } catch (...) {
    return 0;
  }
}

// ---- grad mode (thread-local in libtorch, as in PyTorch) ----
MT_API int mt_set_grad_enabled(int enabled) {
  MT_TRY
  bool previous = at::GradMode::is_enabled();
  at::GradMode::set_enabled(enabled != 0);
  return previous ? 1 : 0;
  MT_CATCH(-1)
}

MT_API int mt_is_grad_enabled() {
  MT_TRY
  return at::GradMode::is_enabled() ? 1 : 0;
  MT_CATCH(-1)
}

// ---- properties ----
MT_API int mt_dim(void* h) {
  MT_TRY
  return static_cast<int>(T(h).dim());
  MT_CATCH(-1)
}

MT_API int mt_shape(void* h, int64_t* out, int capacity) {
  MT_TRY
  auto s = T(h).sizes();
  if (static_cast<int>(s.size()) > capacity) throw std::runtime_error("shape buffer too small");
  for (size_t i = 0; i < s.size(); ++i) out[i] = s[i];
  return static_cast<int>(s.size());
  MT_CATCH(-1)
}

MT_API int64_t mt_numel(void* h) {
  MT_TRY
  return T(h).numel();
  MT_CATCH(-1)
}
MT_API int mt_dtype(void* h) {
  MT_TRY
  return static_cast<int>(T(h).scalar_type());
  MT_CATCH(-1)
}
MT_API int mt_device_type(void* h) {
  MT_TRY
  return static_cast<int>(T(h).device().type());
  MT_CATCH(-1)
}
MT_API int mt_device_index(void* h) {
  MT_TRY
  return static_cast<int>(T(h).device().index());
  MT_CATCH(-1)
}
MT_API int mt_is_contiguous(void* h) {
  MT_TRY
  return T(h).is_contiguous() ? 1 : 0;
  MT_CATCH(-1)
}
MT_API int mt_requires_grad(void* h) {
  MT_TRY
  return T(h).requires_grad() ? 1 : 0;
  MT_CATCH(-1)
}
MT_API int mt_is_leaf(void* h) {
  MT_TRY
  return T(h).is_leaf() ? 1 : 0;
  MT_CATCH(-1)
}

MT_API int mt_set_requires_grad(void* h, int value) {
  MT_TRY
  T(h).requires_grad_(value != 0);
  return 0;
  MT_CATCH(-1)
}

// Status 0 and *out = null when the tensor has no gradient (PyTorch's None).
MT_API int mt_grad(void* h, void** out) {
  MT_TRY
  const at::Tensor& g = T(h).grad();
  *out = g.defined() ? wrap(g) : nullptr;
  return 0;
  MT_CATCH(-1)
}

MT_API int mt_set_grad(void* h, void* g) {
  MT_TRY
  T(h).mutable_grad() = opt(g);
  return 0;
  MT_CATCH(-1)
}

// Pointer to the first element of a CPU contiguous tensor, else null (no error set).
MT_API void* mt_data_ptr(void* h) {
  MT_TRY
  const at::Tensor& t = T(h);
  if (!t.device().is_cpu() || !t.is_contiguous()) return nullptr;
  return t.data_ptr();
  MT_CATCH(nullptr)
}

// ---- host copies ----
MT_API int mt_copy_to_host(void* h, void* dst, int64_t nbytes) {
  MT_TRY
  at::Tensor t = T(h).detach();
  if (!t.device().is_cpu()) t = t.cpu();
  t = t.contiguous();
  int64_t have = t.numel() * static_cast<int64_t>(t.element_size());
  if (have != nbytes)
    throw std::runtime_error("copy_to_host: tensor holds " + std::to_string(have) + " bytes, buffer has " +
                             std::to_string(nbytes));
  if (nbytes) std::memcpy(dst, t.data_ptr(), static_cast<size_t>(nbytes));
  return 0;
  MT_CATCH(-1)
}

MT_API int mt_copy_from_host(void* h, const void* src, int64_t nbytes) {
  MT_TRY
  at::Tensor& t = T(h);
  int64_t need = t.numel() * static_cast<int64_t>(t.element_size());
  if (need != nbytes)
    throw std::runtime_error("copy_from_host: tensor needs " + std::to_string(need) + " bytes, span has " +
                             std::to_string(nbytes));
  at::NoGradGuard no_grad;
  if (t.device().is_cpu() && t.is_contiguous()) {
    if (nbytes) std::memcpy(t.data_ptr(), src, static_cast<size_t>(nbytes));
    // As copy_ would: autograd then detects the change if this tensor was saved for a backward pass.
    t.unsafeGetTensorImpl()->bump_version();
  } else {
    auto host = at::from_blob(const_cast<void*>(src), t.sizes(), at::TensorOptions().dtype(t.scalar_type()));
    t.copy_(host);
  }
  return 0;
  MT_CATCH(-1)
}

MT_API int mt_item_double(void* h, double* out) {
  MT_TRY
  *out = T(h).item().toDouble();
  return 0;
  MT_CATCH(-1)
}

MT_API int mt_item_long(void* h, int64_t* out) {
  MT_TRY
  *out = T(h).item().toLong();
  return 0;
  MT_CATCH(-1)
}

// ---- autograd ----
MT_API int mt_backward(void* h, void* grad, int retain_graph) {
  MT_TRY
  T(h).backward(opt(grad), retain_graph != 0);
  return 0;
  MT_CATCH(-1)
}

// ---- RNG ----
MT_API int mt_manual_seed(uint64_t seed) {
  MT_TRY
  at::manual_seed(seed);
  return 0;
  MT_CATCH(-1)
}

static at::Generator generator_for(int device_type, int device_index) {
  if (device_type == static_cast<int>(c10::DeviceType::CPU)) return at::detail::getDefaultCPUGenerator();
  return at::globalContext().defaultGenerator(
      at::Device(static_cast<at::DeviceType>(device_type), static_cast<c10::DeviceIndex>(device_index)));
}

MT_API void* mt_get_rng_state(int device_type, int device_index) {
  MT_TRY
  auto gen = generator_for(device_type, device_index);
  std::lock_guard<std::mutex> lock(gen.mutex());
  return wrap(gen.get_state());
  MT_CATCH(nullptr)
}

MT_API int mt_set_rng_state(int device_type, int device_index, void* state) {
  MT_TRY
  auto gen = generator_for(device_type, device_index);
  std::lock_guard<std::mutex> lock(gen.mutex());
  gen.set_state(T(state));
  return 0;
  MT_CATCH(-1)
}
