namespace MtlAgent.Torch;

public static partial class torch
{
    public static partial class optim
    {
        /// <summary>PyTorch's RMSprop (see <see cref="Modules.RMSProp"/>).</summary>
        public static Modules.RMSProp RMSProp(IEnumerable<nn.Parameter> parameters, double lr = 0.01, double alpha = 0.99, double eps = 1e-8,
            double weight_decay = 0, double momentum = 0, bool centered = false) =>
            new(parameters, lr, alpha, eps, weight_decay, momentum, centered);
    }
}
