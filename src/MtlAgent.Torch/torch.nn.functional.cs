using MtlAgent.Torch.Native;
using static MtlAgent.Torch.Native.NativeMethods;

namespace MtlAgent.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>Stateless layers and losses (torch.nn.functional).</summary>
        public static class functional
        {
            public static Tensor relu(Tensor input) => input.relu();

            /// <summary>2-D convolution; strides, padding and dilation per (height, width), default 1, 0, 1.</summary>
            public static Tensor conv2d(Tensor input, Tensor weight, Tensor? bias = null, long[]? strides = null,
                long[]? padding = null, long[]? dilation = null, long groups = 1)
            {
                var s = Pair(strides, 1, nameof(strides));
                var p = Pair(padding, 0, nameof(padding));
                var d = Pair(dilation, 1, nameof(dilation));
                var r = new Tensor(mt_conv2d(input.Handle, weight.Handle, bias?.Handle ?? IntPtr.Zero, s.h, s.w, p.h, p.w, d.h, d.w, groups));
                GC.KeepAlive(input);
                GC.KeepAlive(weight);
                GC.KeepAlive(bias);
                return r;
            }

            /// <summary>2-D convolution with the same stride, padding and dilation in both directions.</summary>
            public static Tensor conv2d(Tensor input, Tensor weight, Tensor? bias, long stride, long padding = 0, long dilation = 1, long groups = 1) =>
                conv2d(input, weight, bias, [stride, stride], [padding, padding], [dilation, dilation], groups);

            static (long h, long w) Pair(long[]? v, long fallback, string name) => v switch
            {
                null => (fallback, fallback),
                { Length: 1 } => (v[0], v[0]),
                { Length: 2 } => (v[0], v[1]),
                _ => throw new ArgumentException($"conv2d: {name} needs 1 or 2 values, got {v.Length}"),
            };

            /// <summary>input W^T + b.</summary>
            public static Tensor linear(Tensor input, Tensor weight, Tensor? bias = null)
            {
                var r = new Tensor(mt_linear(input.Handle, weight.Handle, bias?.Handle ?? IntPtr.Zero));
                GC.KeepAlive(input);
                GC.KeepAlive(weight);
                GC.KeepAlive(bias);
                return r;
            }

            static Tensor LossOf(Loss op, Tensor input, Tensor target, Reduction reduction, double param)
            {
                var r = new Tensor(mt_loss((int)op, input.Handle, target.Handle, (int)reduction, param));
                GC.KeepAlive(input);
                GC.KeepAlive(target);
                return r;
            }

            /// <summary>Huber-like loss: 0.5 d²/beta where |d| &lt; beta, else |d| - 0.5 beta.</summary>
            public static Tensor smooth_l1_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, double beta = 1.0) =>
                LossOf(Loss.SmoothL1, input, target, reduction, beta);

            /// <summary>0.5 d² where |d| &lt; delta, else delta (|d| - 0.5 delta).</summary>
            public static Tensor huber_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, double delta = 1.0) =>
                LossOf(Loss.Huber, input, target, reduction, delta);

            public static Tensor mse_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
                LossOf(Loss.Mse, input, target, reduction, 0);

            public static Tensor l1_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
                LossOf(Loss.L1, input, target, reduction, 0);

            /// <summary>Int64 one-hot encoding of an Int64 index tensor (num_classes -1: max index + 1).</summary>
            public static Tensor one_hot(Tensor x, long num_classes = -1)
            {
                var r = new Tensor(mt_one_hot(x.Handle, num_classes));
                GC.KeepAlive(x);
                return r;
            }

            public static Tensor softmax(Tensor input, long dim) => input.softmax(dim);
            public static Tensor log_softmax(Tensor input, long dim) => input.log_softmax(dim);
        }
    }
}
