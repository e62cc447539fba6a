// Tensor creation.
#include "bridge.h"

using namespace mt;

enum Factory { ZEROS = 0, ONES = 1, EMPTY = 2, RANDN = 3, RAND = 4 };

// Copies nbytes of host data into a new tensor of the given shape, dtype and device.
MT_API void* mt_from_host(const void* data, int64_t nbytes, const int64_t* shape, int ndim, int dtype,
                          int device_type, int device_index, int requires_grad) {
  MT_TRY
  auto cpu = at::empty(dims(shape, ndim), at::TensorOptions().dtype(static_cast<at::ScalarType>(dtype)));
  int64_t need = cpu.numel() * static_cast<int64_t>(cpu.element_size());
  if (need != nbytes)
    throw std::runtime_error("tensor: shape needs " + std::to_string(cpu.numel()) + " elements (" +
                             std::to_string(need) + " bytes) but the data has " + std::to_string(nbytes) + " bytes");
  if (nbytes) std::memcpy(cpu.data_ptr(), data, static_cast<size_t>(nbytes));
  at::Tensor t = device_type == 0 ? cpu
                                  : cpu.to(at::Device(static_cast<at::DeviceType>(device_type),
                                                      static_cast<c10::DeviceIndex>(device_index)));
  return wrap_leaf(t, requires_grad);
  MT_CATCH(nullptr)
}

MT_API void* mt_factory(int kind, const int64_t* shape, int ndim, int dtype, int device_type, int device_index,
                        int requires_grad) {
  MT_TRY
  auto o = options(dtype, device_type, device_index);
  auto s = dims(shape, ndim);
  switch (kind) {
    case ZEROS: return wrap_leaf(at::zeros(s, o), requires_grad);
    case ONES: return wrap_leaf(at::ones(s, o), requires_grad);
    case EMPTY: return wrap_leaf(at::empty(s, o), requires_grad);
    case RANDN: return wrap_leaf(at::randn(s, o), requires_grad);
    case RAND: return wrap_leaf(at::rand(s, o), requires_grad);
  }
  throw std::runtime_error("unknown factory kind " + std::to_string(kind));
  MT_CATCH(nullptr)
}

MT_API void* mt_full(const int64_t* shape, int ndim, double value, int dtype, int device_type, int device_index,
                     int requires_grad) {
  MT_TRY
  return wrap_leaf(at::full(dims(shape, ndim), value, options(dtype, device_type, device_index)), requires_grad);
  MT_CATCH(nullptr)
}

MT_API void* mt_scalar_tensor(double value, int dtype, int device_type, int device_index, int requires_grad) {
  MT_TRY
  return wrap_leaf(at::scalar_tensor(value, options(dtype, device_type, device_index)), requires_grad);
  MT_CATCH(nullptr)
}

MT_API void* mt_arange(double start, double end, double step, int dtype, int device_type, int device_index,
                       int requires_grad) {
  MT_TRY
  return wrap_leaf(at::arange(start, end, step, options(dtype, device_type, device_index)), requires_grad);
  MT_CATCH(nullptr)
}

MT_API void* mt_randint(int64_t low, int64_t high, const int64_t* shape, int ndim, int dtype, int device_type,
                        int device_index) {
  MT_TRY
  return wrap(at::randint(low, high, dims(shape, ndim), options(dtype, device_type, device_index)));
  MT_CATCH(nullptr)
}

enum Like { ZEROS_LIKE = 0, ONES_LIKE = 1, EMPTY_LIKE = 2, RANDN_LIKE = 3, RAND_LIKE = 4 };

MT_API void* mt_like(int kind, void* h) {
  MT_TRY
  const at::Tensor& t = T(h);
  switch (kind) {
    case ZEROS_LIKE: return wrap(at::zeros_like(t));
    case ONES_LIKE: return wrap(at::ones_like(t));
    case EMPTY_LIKE: return wrap(at::empty_like(t));
    case RANDN_LIKE: return wrap(at::randn_like(t));
    case RAND_LIKE: return wrap(at::rand_like(t));
  }
  throw std::runtime_error("unknown like kind " + std::to_string(kind));
  MT_CATCH(nullptr)
}
