using static MtlAgent.Torch.Native.NativeMethods;

namespace MtlAgent.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>Fan mode for Kaiming initialisation.</summary>
        public enum FanInOut { FanIn, FanOut }

        /// <summary>Nonlinearity whose gain Kaiming initialisation uses.</summary>
        public enum NonlinearityType { Linear, ReLU, LeakyReLU, Tanh, Sigmoid }

        /// <summary>In-place initialisers (torch.nn.init), not recorded by autograd.</summary>
        public static class init
        {
            public static Tensor uniform_(Tensor tensor, double low = 0, double high = 1)
            {
                Check(mt_init_(0, tensor.Handle, low, high));
                return tensor;
            }

            public static Tensor normal_(Tensor tensor, double mean = 0, double std = 1)
            {
                Check(mt_init_(1, tensor.Handle, mean, std));
                return tensor;
            }

            public static Tensor zeros_(Tensor tensor) => constant_(tensor, 0);
            public static Tensor ones_(Tensor tensor) => constant_(tensor, 1);

            public static Tensor constant_(Tensor tensor, double value)
            {
                using var _ = no_grad();
                return tensor.fill_(value);
            }

            /// <summary>U(-bound, bound) with bound = gain * sqrt(3 / fan), as PyTorch.</summary>
            public static Tensor kaiming_uniform_(Tensor tensor, double a = 0, FanInOut mode = FanInOut.FanIn,
                NonlinearityType nonlinearity = NonlinearityType.LeakyReLU)
            {
                var (fanIn, fanOut) = CalculateFans(tensor);
                var fan = mode == FanInOut.FanIn ? fanIn : fanOut;
                if (fan == 0) return tensor; // PyTorch warns and leaves a zero-element tensor alone
                var bound = Gain(nonlinearity, a) * Math.Sqrt(3.0 / fan);
                return uniform_(tensor, -bound, bound);
            }

            static double Gain(NonlinearityType n, double a) => n switch
            {
                NonlinearityType.ReLU => Math.Sqrt(2),
                NonlinearityType.LeakyReLU => Math.Sqrt(2 / (1 + a * a)),
                NonlinearityType.Tanh => 5.0 / 3,
                _ => 1,
            };

            /// <summary>PyTorch's _calculate_fan_in_and_fan_out: dims 1 and 0 times the receptive field.</summary>
            internal static (long fanIn, long fanOut) CalculateFans(Tensor tensor)
            {
                var s = tensor.shape;
                if (s.Length < 2)
                    throw new ArgumentException($"fan in and fan out need a tensor with at least 2 dimensions, got shape [{string.Join(", ", s)}]");
                long receptive = 1;
                for (var i = 2; i < s.Length; i++) receptive *= s[i];
                return (s[1] * receptive, s[0] * receptive);
            }
        }

        /// <summary>Gradient utilities (torch.nn.utils).</summary>
        public static class utils
        {
            /// <summary>Scales all gradients in place so that their joint norm is at most max_norm; returns the norm before clipping.</summary>
            public static unsafe double clip_grad_norm_(IEnumerable<Tensor> parameters, double max_norm, double norm_type = 2.0)
            {
                var ps = parameters as IReadOnlyList<Tensor> ?? parameters.ToList();
                var hs = new IntPtr[ps.Count];
                for (var i = 0; i < hs.Length; i++) hs[i] = ps[i].Handle;
                double total;
                fixed (IntPtr* p = hs) Check(mt_clip_grad_norm(p, hs.Length, max_norm, norm_type, &total));
                GC.KeepAlive(ps);
                return total;
            }

            /// <summary>Copies every parameter and buffer of <paramref name="source"/> into <paramref name="target"/> in place, in one native call (target-network sync).</summary>
            public static unsafe void copy_parameters(Module source, Module target)
            {
                var (dst, src) = Pairs(source, target);
                fixed (IntPtr* d = dst)
                fixed (IntPtr* s = src)
                    Check(mt_copy_all(d, s, dst.Length));
            }

            /// <summary>target = (1 - tau) target + tau source for every parameter and buffer (Polyak averaging), one native call.</summary>
            public static unsafe void soft_update(Module source, Module target, double tau)
            {
                var (dst, src) = Pairs(source, target);
                fixed (IntPtr* d = dst)
                fixed (IntPtr* s = src)
                    Check(mt_lerp_all(d, s, dst.Length, tau));
            }

            static (IntPtr[] dst, IntPtr[] src) Pairs(Module source, Module target)
            {
                var s = source.state_dict();
                var t = target.state_dict();
                if (s.Count != t.Count || s.Keys.Any(k => !t.ContainsKey(k)))
                    throw new ArgumentException($"modules differ: source has [{string.Join(", ", s.Keys)}], target has [{string.Join(", ", t.Keys)}]");
                var keys = t.Keys.ToArray();
                foreach (var k in keys)
                    if (!s[k].shape.SequenceEqual(t[k].shape))
                        throw new ArgumentException($"'{k}' has shape [{string.Join(", ", s[k].shape)}] in the source but [{string.Join(", ", t[k].shape)}] in the target");
                return (keys.Select(k => t[k].Handle).ToArray(), keys.Select(k => s[k].Handle).ToArray());
            }
        }
    }
}
