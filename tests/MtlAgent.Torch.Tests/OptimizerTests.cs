using static MtlAgent.Torch.torch;

namespace MtlAgent.Torch.Tests;

/// <summary>RMSprop and Adam over several steps against their formulas written out in plain C#.</summary>
public class OptimizerTests
{
    // A deterministic gradient that depends on the parameter and the step, set directly on .grad.
    static double Grad(double p, int step, int i) => 0.3 * p + Math.Sin(1.7 * step + 0.9 * i) - 0.1;

    sealed class Problem : IDisposable
    {
        public readonly nn.Parameter[] Parameters;
        public readonly double[][] Reference;

        public Problem(ScalarType dtype)
        {
            Reference = [[0.5, -1.0, 2.0, 0.0], [1.5, -0.25, 0.75, -2.0, 3.0, 0.125]];
            Parameters =
            [
                new nn.Parameter(tensor(Reference[0], dtype: dtype)),
                new nn.Parameter(tensor(Reference[1], [2, 3], dtype: dtype)),
            ];
        }

        /// <summary>Sets each parameter's gradient from its current values; returns the gradients used.</summary>
        public double[][] SetGradients(int step)
        {
            var grads = new double[Parameters.Length][];
            for (var k = 0; k < Parameters.Length; k++)
            {
                var p = Parameters[k];
                using var asDouble = p.to(float64);
                var values = asDouble.data<double>().ToArray();
                grads[k] = values.Select((v, i) => Grad(v, step, i)).ToArray();
                using var g = tensor(grads[k], p.shape, dtype: p.dtype);
                p.grad = g;
            }
            return grads;
        }

        public double[] Values(int k)
        {
            using var d = Parameters[k].to(float64);
            return d.data<double>().ToArray();
        }

        public void Dispose()
        {
            foreach (var p in Parameters) p.Dispose();
        }
    }

    static void RunRmsProp(ScalarType dtype, double tol, double lr, double alpha, double eps, double wd, double momentum, bool centered)
    {
        using var problem = new Problem(dtype);
        using var opt = optim.RMSProp(problem.Parameters, lr, alpha, eps, wd, momentum, centered);
        var r = problem.Reference;
        var v = r.Select(a => new double[a.Length]).ToArray();
        var m = r.Select(a => new double[a.Length]).ToArray();
        var b = r.Select(a => new double[a.Length]).ToArray();
        for (var step = 0; step < 6; step++)
        {
            for (var k = 0; k < r.Length; k++)
                for (var i = 0; i < r[k].Length; i++)
                {
                    var g = Grad(r[k][i], step, i) + wd * r[k][i];
                    v[k][i] = alpha * v[k][i] + (1 - alpha) * g * g;
                    double denom;
                    if (centered)
                    {
                        m[k][i] = alpha * m[k][i] + (1 - alpha) * g;
                        denom = Math.Sqrt(v[k][i] - m[k][i] * m[k][i]) + eps;
                    }
                    else denom = Math.Sqrt(v[k][i]) + eps;
                    if (momentum > 0)
                    {
                        b[k][i] = momentum * b[k][i] + g / denom;
                        r[k][i] -= lr * b[k][i];
                    }
                    else r[k][i] -= lr * g / denom;
                }
            problem.SetGradients(step);
            opt.step();
            for (var k = 0; k < r.Length; k++) Approx.Equal(r[k], problem.Values(k), tol);
        }
    }

    [Fact]
    public void Centered_rmsprop_matches_the_formula_float64() => RunRmsProp(float64, 1e-12, 0.01, 0.95, 0.01, 0, 0, centered: true);

    [Fact]
    public void Centered_rmsprop_matches_the_formula_float32() => RunRmsProp(float32, 2e-6, 2.5e-4, 0.95, 0.01, 0, 0, centered: true);

    [Fact]
    public void Plain_rmsprop_matches_the_formula() => RunRmsProp(float64, 1e-12, 0.01, 0.99, 1e-8, 0, 0, centered: false);

    [Fact]
    public void Rmsprop_with_momentum_and_weight_decay_matches_the_formula() => RunRmsProp(float64, 1e-12, 0.01, 0.9, 1e-3, 0.01, 0.9, centered: true);

    static void RunAdam(ScalarType dtype, double tol, double lr, double b1, double b2, double eps, double wd, bool amsgrad)
    {
        using var problem = new Problem(dtype);
        using var opt = optim.Adam(problem.Parameters, lr, b1, b2, eps, wd, amsgrad);
        var r = problem.Reference;
        var m = r.Select(a => new double[a.Length]).ToArray();
        var v = r.Select(a => new double[a.Length]).ToArray();
        var vmax = r.Select(a => new double[a.Length]).ToArray();
        for (var step = 0; step < 6; step++)
        {
            var t = step + 1;
            for (var k = 0; k < r.Length; k++)
                for (var i = 0; i < r[k].Length; i++)
                {
                    var g = Grad(r[k][i], step, i) + wd * r[k][i];
                    m[k][i] = b1 * m[k][i] + (1 - b1) * g;
                    v[k][i] = b2 * v[k][i] + (1 - b2) * g * g;
                    vmax[k][i] = Math.Max(vmax[k][i], v[k][i]);
                    var vhat = amsgrad ? vmax[k][i] : v[k][i];
                    var denom = Math.Sqrt(vhat) / Math.Sqrt(1 - Math.Pow(b2, t)) + eps;
                    r[k][i] -= lr / (1 - Math.Pow(b1, t)) * m[k][i] / denom;
                }
            problem.SetGradients(step);
            opt.step();
            for (var k = 0; k < r.Length; k++) Approx.Equal(r[k], problem.Values(k), tol);
        }
    }

    [Fact]
    public void Adam_matches_the_formula_float64() => RunAdam(float64, 1e-12, 0.01, 0.9, 0.999, 1e-8, 0, amsgrad: false);

    [Fact]
    public void Adam_matches_the_formula_float32() => RunAdam(float32, 2e-6, 1e-3, 0.9, 0.999, 1e-8, 0, amsgrad: false);

    [Fact]
    public void Adam_amsgrad_with_weight_decay_matches_the_formula() => RunAdam(float64, 1e-12, 0.05, 0.8, 0.9, 1e-6, 0.1, amsgrad: true);

    [Fact]
    public void Parameters_without_gradients_are_left_alone()
    {
        using var p = new nn.Parameter(ones(3));
        using var opt = optim.Adam([p]);
        opt.step();
        Assert.Equal([1f, 1f, 1f], p.data<float>().ToArray());
    }

    [Fact]
    public void Learning_rate_is_settable_and_zero_freezes()
    {
        using var problem = new Problem(float64);
        using var opt = optim.RMSProp(problem.Parameters, lr: 0.1);
        opt.LearningRate = 0;
        var before = problem.Values(0);
        problem.SetGradients(0);
        opt.step();
        Assert.Equal(before, problem.Values(0));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void State_dict_round_trip_resumes_exactly(bool adam)
    {
        using var a = new Problem(float32);
        using var b = new Problem(float32);
        using var optA = adam ? (optim.Optimizer)optim.Adam(a.Parameters, 0.01, amsgrad: true) : optim.RMSProp(a.Parameters, 0.01, 0.95, 0.01, momentum: 0.5, centered: true);
        using var optB = adam ? (optim.Optimizer)optim.Adam(b.Parameters, 0.01, amsgrad: true) : optim.RMSProp(b.Parameters, 0.01, 0.95, 0.01, momentum: 0.5, centered: true);
        for (var s = 0; s < 3; s++)
        {
            a.SetGradients(s);
            optA.step();
        }
        using (var scope = NewDisposeScope())
        {
            var state = optA.state_dict();
            Assert.Contains("0.step", state.Keys);
            Assert.Equal(3L, state["0.step"].item<long>());
            optB.load_state_dict(state);
            using var _ = no_grad();
            for (var k = 0; k < a.Parameters.Length; k++) b.Parameters[k].copy_(a.Parameters[k]);
        }
        for (var s = 3; s < 6; s++)
        {
            a.SetGradients(s);
            optA.step();
            b.SetGradients(s);
            optB.step();
        }
        for (var k = 0; k < a.Parameters.Length; k++) Assert.Equal(a.Values(k), b.Values(k));
    }

    [Fact]
    public void Load_state_dict_rejects_missing_entries()
    {
        using var p = new nn.Parameter(ones(3));
        using var opt = optim.RMSProp([p], centered: true);
        var e = Assert.Throws<ArgumentException>(() => opt.load_state_dict(new Dictionary<string, Tensor>()));
        Assert.Contains("0.grad_avg", e.Message);
    }
}
