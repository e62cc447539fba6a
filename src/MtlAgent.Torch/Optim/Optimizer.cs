using static MtlAgent.Torch.Native.NativeMethods;

namespace MtlAgent.Torch;

public static partial class torch
{
    /// <summary>Optimizers whose step is one native call over all parameters with preallocated state.</summary>
    public static partial class optim
    {
        /// <summary>Base of the optimizers: parameters, learning rate, zero_grad, state save/load.</summary>
        public abstract class Optimizer : IDisposable
        {
            protected Optimizer(IEnumerable<nn.Parameter> parameters, double lr)
            {
                Parameters = parameters.ToList();
                if (Parameters.Count == 0) throw new ArgumentException("optimizer got an empty parameter list");
                if (!(lr >= 0)) throw new ArgumentOutOfRangeException(nameof(lr), lr, "learning rate must be >= 0");
                LearningRate = lr;
            }

            /// <summary>The optimised parameters, in order (state names use these indexes).</summary>
            public IReadOnlyList<nn.Parameter> Parameters { get; }

            /// <summary>Learning rate used by the next <see cref="step"/>; settable (schedules).</summary>
            public double LearningRate { get; set; }

            /// <summary>
            /// Clears every parameter's gradient: to None (PyTorch 2's default, cheapest: the next backward
            /// writes fresh gradients) or, with <paramref name="set_to_none"/> false, to zeros in place.
            /// </summary>
            public void zero_grad(bool set_to_none = true) => ZeroGrad(Parameters, set_to_none);

            /// <summary>Updates every parameter that has a gradient, in place.</summary>
            public abstract void step();

            /// <summary>
            /// Copies of the state by name: "&lt;i&gt;.&lt;buffer&gt;" per parameter index i and "&lt;i&gt;.step" (Int64 scalar).
            /// The caller owns the returned tensors.
            /// </summary>
            public Dictionary<string, Tensor> state_dict()
            {
                var d = new Dictionary<string, Tensor>();
                foreach (var (name, t) in NamedState())
                    d[name] = t.detach().clone();
                for (var i = 0; i < Steps.Length; i++) d[$"{i}.step"] = tensor(Steps[i]);
                return d;
            }

            /// <summary>Restores state saved by <see cref="state_dict"/> (same parameters, same options); every entry must be present.</summary>
            public void load_state_dict(IReadOnlyDictionary<string, Tensor> state)
            {
                var expected = NamedState().Select(s => s.name).Concat(Enumerable.Range(0, Steps.Length).Select(i => $"{i}.step")).ToList();
                var missing = expected.Where(k => !state.ContainsKey(k)).ToList();
                var unexpected = state.Keys.Where(k => !expected.Contains(k)).ToList();
                if (missing.Count > 0 || unexpected.Count > 0)
                    throw new ArgumentException($"optimizer state: missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", unexpected)}]");
                using var _ = no_grad();
                foreach (var (name, dst) in NamedState())
                {
                    var src = state[name];
                    if (!dst.shape.SequenceEqual(src.shape))
                        throw new ArgumentException($"optimizer state '{name}' has shape [{string.Join(", ", src.shape)}], expected [{string.Join(", ", dst.shape)}]");
                    dst.copy_(src);
                }
                for (var i = 0; i < Steps.Length; i++) Steps[i] = state[$"{i}.step"].item<long>();
            }

            /// <summary>Per-parameter step counts.</summary>
            protected long[] Steps => steps ??= new long[Parameters.Count];
            long[]? steps;

            /// <summary>The state tensors by name, in a fixed order.</summary>
            protected abstract IEnumerable<(string name, Tensor tensor)> NamedState();

            /// <summary>A zero buffer shaped like each parameter, owned by the optimizer.</summary>
            protected Tensor[] ZerosLikeParameters()
            {
                using var _ = no_grad();
                return Parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
            }

            internal static unsafe void ZeroGrad(IReadOnlyList<Tensor> parameters, bool setToNone)
            {
                Span<IntPtr> hs = parameters.Count <= 256 ? stackalloc IntPtr[parameters.Count] : new IntPtr[parameters.Count];
                for (var i = 0; i < hs.Length; i++) hs[i] = parameters[i].Handle;
                fixed (IntPtr* p = hs) Check(mt_zero_grad(p, hs.Length, setToNone ? 1 : 0));
                GC.KeepAlive(parameters);
            }

            /// <summary>Fills <paramref name="handles"/> with the native handles of <paramref name="tensors"/>.</summary>
            protected static void Handles(IReadOnlyList<Tensor> tensors, Span<IntPtr> handles)
            {
                for (var i = 0; i < handles.Length; i++) handles[i] = tensors[i].Handle;
            }

            public void Dispose()
            {
                foreach (var (_, t) in NamedState()) t.Dispose();
                GC.SuppressFinalize(this);
            }
        }
    }
}
