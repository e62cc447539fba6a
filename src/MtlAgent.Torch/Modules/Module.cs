using System.Reflection;

namespace MtlAgent.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// Base of all modules (TorchSharp's torch.nn.Module): registered submodules, parameters and
        /// buffers, dotted names, state dicts, train/eval mode, device moves.
        /// </summary>
        public abstract class Module : IDisposable
        {
            readonly OrderedDictionary<string, Module> _modules = new();
            readonly OrderedDictionary<string, Parameter?> _parameters = new();
            readonly OrderedDictionary<string, Tensor> _buffers = new();
            bool disposed;

            protected Module(string name) => this.name = name;

            readonly string name;

            /// <summary>The module's type name given at construction (e.g. "Linear").</summary>
            public string GetName() => name;

            /// <summary>True in training mode (the default), false after <see cref="eval"/>.</summary>
            public bool training { get; private set; } = true;

            /// <summary>Registers a submodule under <paramref name="name"/>.</summary>
            public void register_module(string name, Module module)
            {
                CheckName(name);
                _modules[name] = module;
            }

            /// <summary>Registers a parameter (null: a declared but absent parameter, e.g. no bias).</summary>
            public void register_parameter(string name, Parameter? parameter)
            {
                CheckName(name);
                _parameters[name] = parameter;
            }

            /// <summary>Registers a non-trained tensor saved in the state dict; the module now owns it.</summary>
            public void register_buffer(string name, Tensor tensor)
            {
                CheckName(name);
                _buffers[name] = tensor.DetachFromDisposeScope();
            }

            static void CheckName(string name)
            {
                if (string.IsNullOrEmpty(name) || name.Contains('.'))
                    throw new ArgumentException($"invalid module member name '{name}': must be non-empty without '.'");
            }

            /// <summary>
            /// Registers the fields of the derived class: Module fields as submodules, Parameter fields
            /// as parameters, other Tensor fields as buffers, named after the field (TorchSharp's convention).
            /// </summary>
            protected void RegisterComponents()
            {
                for (var type = GetType(); type is not null && type != typeof(Module); type = type.BaseType)
                {
                    foreach (var f in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    {
                        var value = f.GetValue(this);
                        var fieldName = f.Name.StartsWith('<') ? f.Name[1..f.Name.IndexOf('>')] : f.Name;
                        switch (value)
                        {
                            case Module m when !_modules.ContainsKey(fieldName): register_module(fieldName, m); break;
                            case Parameter p when !_parameters.ContainsKey(fieldName): register_parameter(fieldName, p); break;
                            case Tensor t when value is not Parameter && !_buffers.ContainsKey(fieldName): register_buffer(fieldName, t); break;
                        }
                    }
                }
            }

            public IEnumerable<(string name, Module module)> named_children()
            {
                foreach (var (k, v) in _modules) yield return (k, v);
            }

            public IEnumerable<Module> children() => named_children().Select(c => c.module);

            /// <summary>This module (name "") and every descendant, with dotted names.</summary>
            public IEnumerable<(string name, Module module)> named_modules()
            {
                yield return ("", this);
                foreach (var (k, m) in _modules)
                    foreach (var (sub, d) in m.named_modules())
                        yield return (sub.Length == 0 ? k : k + "." + sub, d);
            }

            public IEnumerable<Module> modules() => named_modules().Select(m => m.module);

            public IEnumerable<(string name, Parameter parameter)> named_parameters(bool recurse = true)
            {
                foreach (var (k, p) in _parameters)
                    if (p is not null) yield return (k, p);
                if (!recurse) yield break;
                foreach (var (k, m) in _modules)
                    foreach (var (sub, p) in m.named_parameters())
                        yield return (k + "." + sub, p);
            }

            public IEnumerable<Parameter> parameters(bool recurse = true) => named_parameters(recurse).Select(p => p.parameter);

            public IEnumerable<(string name, Tensor buffer)> named_buffers(bool recurse = true)
            {
                foreach (var (k, b) in _buffers) yield return (k, b);
                if (!recurse) yield break;
                foreach (var (k, m) in _modules)
                    foreach (var (sub, b) in m.named_buffers())
                        yield return (k + "." + sub, b);
            }

            public IEnumerable<Tensor> buffers() => named_buffers().Select(b => b.buffer);

            /// <summary>
            /// Parameters and buffers by dotted name. The values are the module's own tensors (as in
            /// TorchSharp): read or save them, do not dispose them.
            /// </summary>
            public Dictionary<string, Tensor> state_dict()
            {
                var d = new Dictionary<string, Tensor>();
                foreach (var (k, p) in named_parameters()) d[k] = p;
                foreach (var (k, b) in named_buffers()) d[k] = b;
                return d;
            }

            /// <summary>
            /// Copies values from <paramref name="source"/> into this module's parameters and buffers in place.
            /// With <paramref name="strict"/>, missing or unexpected names are an error. Shapes must match.
            /// </summary>
            public (IList<string> missing_keys, IList<string> unexpected_keys) load_state_dict(IReadOnlyDictionary<string, Tensor> source, bool strict = true)
            {
                var own = state_dict();
                var missing = own.Keys.Where(k => !source.ContainsKey(k)).ToList();
                var unexpected = source.Keys.Where(k => !own.ContainsKey(k)).ToList();
                if (strict && (missing.Count > 0 || unexpected.Count > 0))
                    throw new ArgumentException(
                        $"load_state_dict: missing keys [{string.Join(", ", missing)}], unexpected keys [{string.Join(", ", unexpected)}]; expected: {string.Join(", ", own.Keys)}");
                using var _ = no_grad();
                foreach (var (k, dst) in own)
                {
                    if (!source.TryGetValue(k, out var src)) continue;
                    var (a, b) = (dst.shape, src.shape);
                    if (!a.SequenceEqual(b))
                        throw new ArgumentException($"load_state_dict: '{k}' has shape [{string.Join(", ", b)}] but the module expects [{string.Join(", ", a)}]");
                    dst.copy_(src);
                }
                return (missing, unexpected);
            }

            /// <summary>Sets training mode on this module and all descendants.</summary>
            public virtual void train(bool mode = true)
            {
                training = mode;
                foreach (var m in _modules.Values) m.train(mode);
            }

            /// <summary>Evaluation mode: <c>train(false)</c>.</summary>
            public void eval() => train(false);

            /// <summary>Clears every parameter's gradient, to None by default or to zeros in place (one native call).</summary>
            public void zero_grad(bool set_to_none = true) => optim.Optimizer.ZeroGrad(parameters().ToList(), set_to_none);

            /// <summary>
            /// Moves every parameter and buffer to <paramref name="device"/> in place: the same Parameter
            /// objects now refer to the moved data. Do this before creating optimizers.
            /// </summary>
            public Module to(Device device) => Move(t => t.to(device));

            /// <summary>Converts every parameter and buffer to <paramref name="dtype"/> in place.</summary>
            public Module to(ScalarType dtype) => Move(t => t.to(dtype));

            Module Move(Func<Tensor, Tensor> convert)
            {
                using var _ = no_grad();
                foreach (var (_, p) in named_parameters())
                {
                    var rg = p.requires_grad;
                    var moved = convert(p);
                    var detached = moved.detach();
                    moved.Dispose();
                    p.SetHandle(detached.MoveHandle());
                    p.requires_grad = rg;
                }
                foreach (var (_, b) in named_buffers())
                {
                    var moved = convert(b);
                    b.SetHandle(moved.MoveHandle());
                }
                return this;
            }

            /// <summary>Disposes parameters, buffers and submodules.</summary>
            public void Dispose()
            {
                if (disposed) return;
                disposed = true;
                Dispose(true);
                GC.SuppressFinalize(this);
            }

            protected virtual void Dispose(bool disposing)
            {
                foreach (var p in _parameters.Values) p?.Dispose();
                foreach (var b in _buffers.Values) b.Dispose();
                foreach (var m in _modules.Values) m.Dispose();
            }
        }

        /// <summary>A module with one input (TorchSharp's Module&lt;T, TResult&gt;).</summary>
        public abstract class Module<T, TResult> : Module
        {
            protected Module(string name) : base(name) { }

            public abstract TResult forward(T input);

            /// <summary>Runs <see cref="forward"/>.</summary>
            public TResult call(T input) => forward(input);
        }

        /// <summary>A module with two inputs (e.g. observation and task).</summary>
        public abstract class Module<T1, T2, TResult> : Module
        {
            protected Module(string name) : base(name) { }

            public abstract TResult forward(T1 input1, T2 input2);

            /// <summary>Runs <see cref="forward"/>.</summary>
            public TResult call(T1 input1, T2 input2) => forward(input1, input2);
        }
    }
}
