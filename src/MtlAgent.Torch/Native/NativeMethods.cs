using System.Runtime.InteropServices;

namespace MtlAgent.Torch.Native;

/// <summary>The flat C ABI of libmtltorch (native/src). Handles are opaque at::Tensor pointers.</summary>
internal static unsafe class NativeMethods
{
    internal const int AbiVersion = 2;
    const string Lib = NativeLibraryResolver.LibraryName;

    // ---- library, errors, threads, devices (core.cpp) ----
    [DllImport(Lib)] internal static extern int mt_abi_version();
    [DllImport(Lib)] internal static extern IntPtr mt_last_error();
    [DllImport(Lib)] internal static extern int mt_set_num_threads(int threads);
    [DllImport(Lib)] internal static extern int mt_get_num_threads();
    [DllImport(Lib)] internal static extern int mt_blas_num_threads();
    [DllImport(Lib)] internal static extern long mt_live_tensors();
    [DllImport(Lib)] internal static extern void mt_free(IntPtr h);
    [DllImport(Lib)] internal static extern int mt_cuda_available();
    [DllImport(Lib)] internal static extern int mt_cuda_device_count();
    [DllImport(Lib)] internal static extern int mt_set_grad_enabled(int enabled);
    [DllImport(Lib)] internal static extern int mt_is_grad_enabled();

    // ---- properties and host copies ----
    [DllImport(Lib)] internal static extern int mt_dim(IntPtr h);
    [DllImport(Lib)] internal static extern int mt_shape(IntPtr h, long* shape, int capacity);
    [DllImport(Lib)] internal static extern long mt_numel(IntPtr h);
    [DllImport(Lib)] internal static extern int mt_dtype(IntPtr h);
    [DllImport(Lib)] internal static extern int mt_device_type(IntPtr h);
    [DllImport(Lib)] internal static extern int mt_device_index(IntPtr h);
    [DllImport(Lib)] internal static extern int mt_is_contiguous(IntPtr h);
    [DllImport(Lib)] internal static extern int mt_requires_grad(IntPtr h);
    [DllImport(Lib)] internal static extern int mt_is_leaf(IntPtr h);
    [DllImport(Lib)] internal static extern int mt_set_requires_grad(IntPtr h, int value);
    [DllImport(Lib)] internal static extern int mt_grad(IntPtr h, IntPtr* grad);
    [DllImport(Lib)] internal static extern int mt_set_grad(IntPtr h, IntPtr grad);
    [DllImport(Lib)] internal static extern void* mt_data_ptr(IntPtr h);
    [DllImport(Lib)] internal static extern int mt_copy_to_host(IntPtr h, void* dst, long nbytes);
    [DllImport(Lib)] internal static extern int mt_copy_from_host(IntPtr h, void* src, long nbytes);
    [DllImport(Lib)] internal static extern int mt_item_double(IntPtr h, double* value);
    [DllImport(Lib)] internal static extern int mt_item_long(IntPtr h, long* value);
    [DllImport(Lib)] internal static extern int mt_backward(IntPtr h, IntPtr grad, int retainGraph);
    [DllImport(Lib)] internal static extern int mt_manual_seed(ulong seed);
    [DllImport(Lib)] internal static extern IntPtr mt_get_rng_state(int deviceType, int deviceIndex);
    [DllImport(Lib)] internal static extern int mt_set_rng_state(int deviceType, int deviceIndex, IntPtr state);

    // ---- creation (create.cpp) ----
    [DllImport(Lib)] internal static extern IntPtr mt_from_host(void* data, long nbytes, long* shape, int ndim, int dtype, int deviceType, int deviceIndex, int requiresGrad);
    [DllImport(Lib)] internal static extern IntPtr mt_factory(int kind, long* shape, int ndim, int dtype, int deviceType, int deviceIndex, int requiresGrad);
    [DllImport(Lib)] internal static extern IntPtr mt_full(long* shape, int ndim, double value, int dtype, int deviceType, int deviceIndex, int requiresGrad);
    [DllImport(Lib)] internal static extern IntPtr mt_scalar_tensor(double value, int dtype, int deviceType, int deviceIndex, int requiresGrad);
    [DllImport(Lib)] internal static extern IntPtr mt_arange(double start, double end, double step, int dtype, int deviceType, int deviceIndex, int requiresGrad);
    [DllImport(Lib)] internal static extern IntPtr mt_randint(long low, long high, long* shape, int ndim, int dtype, int deviceType, int deviceIndex);
    [DllImport(Lib)] internal static extern IntPtr mt_like(int kind, IntPtr h);

    // ---- operations (ops.cpp) ----
    [DllImport(Lib)] internal static extern IntPtr mt_unary(int op, IntPtr h);
    [DllImport(Lib)] internal static extern IntPtr mt_binary(int op, IntPtr a, IntPtr b);
    [DllImport(Lib)] internal static extern IntPtr mt_binary_scalar(int op, IntPtr a, double s);
    [DllImport(Lib)] internal static extern int mt_inplace(int op, IntPtr a, IntPtr b, double alpha);
    [DllImport(Lib)] internal static extern int mt_inplace_scalar(int op, IntPtr a, double s);
    [DllImport(Lib)] internal static extern IntPtr mt_reduce_dims(int op, IntPtr h, long* dims, int n, int keepdim);
    [DllImport(Lib)] internal static extern int mt_max_dim(int op, IntPtr h, long dim, int keepdim, IntPtr* values, IntPtr* indices);
    [DllImport(Lib)] internal static extern IntPtr mt_argmax_dim(int op, IntPtr h, long dim, int keepdim);
    [DllImport(Lib)] internal static extern IntPtr mt_softmax(int op, IntPtr h, long dim);
    [DllImport(Lib)] internal static extern IntPtr mt_shape_op(int op, IntPtr h, long* dims, int n);
    [DllImport(Lib)] internal static extern IntPtr mt_flatten(IntPtr h, long start, long end);
    [DllImport(Lib)] internal static extern IntPtr mt_dim_op(int op, IntPtr h, long a, long b);
    [DllImport(Lib)] internal static extern IntPtr mt_narrow(IntPtr h, long dim, long start, long length);
    [DllImport(Lib)] internal static extern IntPtr mt_index_op(int op, IntPtr h, long dim, IntPtr index);
    [DllImport(Lib)] internal static extern IntPtr mt_scatter(IntPtr h, long dim, IntPtr index, IntPtr src, double value, int inplace);
    [DllImport(Lib)] internal static extern IntPtr mt_cat(int op, IntPtr* handles, int n, long dim);
    [DllImport(Lib)] internal static extern IntPtr mt_where(IntPtr cond, IntPtr a, IntPtr b);
    [DllImport(Lib)] internal static extern IntPtr mt_clamp(IntPtr h, int hasMin, double min, int hasMax, double max);
    [DllImport(Lib)] internal static extern IntPtr mt_to(IntPtr h, int dtype, int deviceType, int deviceIndex, int copy);

    // ---- nn (nn.cpp) ----
    [DllImport(Lib)] internal static extern IntPtr mt_conv2d(IntPtr x, IntPtr w, IntPtr b, long strideH, long strideW, long padH, long padW, long dilH, long dilW, long groups);
    [DllImport(Lib)] internal static extern IntPtr mt_linear(IntPtr x, IntPtr w, IntPtr b);
    [DllImport(Lib)] internal static extern IntPtr mt_loss(int op, IntPtr input, IntPtr target, int reduction, double param);
    [DllImport(Lib)] internal static extern IntPtr mt_one_hot(IntPtr index, long numClasses);
    [DllImport(Lib)] internal static extern int mt_init_(int op, IntPtr h, double a, double b);
    [DllImport(Lib)] internal static extern int mt_clip_grad_norm(IntPtr* parameters, int n, double maxNorm, double normType, double* total);
    [DllImport(Lib)] internal static extern int mt_copy_all(IntPtr* dst, IntPtr* src, int n);
    [DllImport(Lib)] internal static extern int mt_lerp_all(IntPtr* dst, IntPtr* src, int n, double tau);
    [DllImport(Lib)] internal static extern int mt_zero_grad(IntPtr* parameters, int n, int setToNone);

    // ---- optimizers (optim.cpp) ----
    [DllImport(Lib)] internal static extern int mt_rmsprop_step(IntPtr* parameters, IntPtr* squareAvg, IntPtr* gradAvg, IntPtr* momentumBuffer, int n, double lr, double alpha, double eps, double weightDecay, double momentum);
    [DllImport(Lib)] internal static extern int mt_adam_step(IntPtr* parameters, IntPtr* expAvg, IntPtr* expAvgSq, IntPtr* maxExpAvgSq, long* steps, int n, double lr, double beta1, double beta2, double eps, double weightDecay);

    /// <summary>Throws the pending native error unless <paramref name="handle"/> is a valid result.</summary>
    internal static IntPtr Check(IntPtr handle) => handle != IntPtr.Zero ? handle : throw LastError();

    /// <summary>Throws the pending native error unless <paramref name="status"/> is 0 (or positive).</summary>
    internal static int Check(int status) => status >= 0 ? status : throw LastError();

    internal static TorchException LastError() =>
        new(Marshal.PtrToStringUTF8(mt_last_error()) ?? "unknown libtorch error");
}
