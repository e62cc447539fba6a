using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Tests.Engine;

/// <summary>
/// PyTorch 2.10's <c>_single_tensor_rmsprop</c> and <c>_single_tensor_adam</c> (the CPU defaults) written out op for op
/// with TorchSharp, one parameter at a time, as references for the flat optimizers (TorchSharp's own optimizers use
/// <c>mul_</c> + <c>add_</c> where PyTorch uses <c>lerp_</c>).
/// </summary>
internal sealed class PyTorchOptimizer : IDisposable
{
    private readonly Parameter[] _params;
    private readonly Tensor[] _first, _second;
    private readonly bool _adam, _centered;
    private readonly double _lr, _a, _b, _eps;
    private long _step;

    private PyTorchOptimizer(IEnumerable<Parameter> parameters, bool adam, double lr, double a, double b, double eps, bool centered)
    {
        _params = parameters.ToArray();
        using var noGrad = no_grad();
        _first = _params.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        _second = _params.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        (_adam, _lr, _a, _b, _eps, _centered) = (adam, lr, a, b, eps, centered);
    }

    public static PyTorchOptimizer RmsProp(IEnumerable<Parameter> parameters, double lr, double alpha, double eps, bool centered) =>
        new(parameters, adam: false, lr, alpha, 0, eps, centered);

    public static PyTorchOptimizer Adam(IEnumerable<Parameter> parameters, double lr, double beta1, double beta2, double eps) =>
        new(parameters, adam: true, lr, beta1, beta2, eps, centered: false);

    public void step()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _step++;
        for (int i = 0; i < _params.Length; i++)
        {
            var param = _params[i];
            var grad = param.grad!;
            if (_adam) AdamStep(param, grad, exp_avg: _first[i], exp_avg_sq: _second[i]);
            else RmsPropStep(param, grad, square_avg: _first[i], grad_avg: _second[i]);
        }
    }

    private void RmsPropStep(Tensor param, Tensor grad, Tensor square_avg, Tensor grad_avg)
    {
        double alpha = _a;
        square_avg.mul_(alpha).addcmul_(grad, grad, 1 - alpha);
        Tensor avg;
        if (_centered)
        {
            grad_avg.lerp_(grad, tensor(1 - alpha, grad.dtype));
            avg = square_avg.addcmul(grad_avg, grad_avg, -1).sqrt_();
        }
        else avg = square_avg.sqrt();
        avg = avg.add_(_eps);
        param.addcdiv_(grad, avg, -_lr);
    }

    private void AdamStep(Tensor param, Tensor grad, Tensor exp_avg, Tensor exp_avg_sq)
    {
        double beta1 = _a, beta2 = _b;
        exp_avg.lerp_(grad, tensor(1 - beta1, grad.dtype));
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, 1 - beta2);
        double bias_correction1 = 1 - Math.Pow(beta1, _step);
        double bias_correction2 = 1 - Math.Pow(beta2, _step);
        double step_size = _lr / bias_correction1;
        double bias_correction2_sqrt = Math.Pow(bias_correction2, 0.5);
        var denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(_eps);
        param.addcdiv_(exp_avg, denom, -step_size);
    }

    public void Dispose()
    {
        foreach (var t in _first.Concat(_second)) t.Dispose();
    }
}
