namespace MtlAgent.Torch;

public static partial class torch
{
    public static partial class optim
    {
        /// <summary>PyTorch's RMSprop (see <see cref="Modules.RMSProp"/>).</summary>
        public static Modules.RMSProp RMSProp(IEnumerable<nn.Parameter> parameters, double lr = 0.01, double alpha = 0.99, double eps = 1e-8,
            double weight_decay = 0, double momentum = 0, bool centered = false) =>
            new(parameters, lr, alpha, eps, weight_decay, momentum, centered);

        /// <summary>PyTorch's Adam (see <see cref="Modules.Adam"/>).</summary>
        public static Modules.Adam Adam(IEnumerable<nn.Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
            double eps = 1e-8, double weight_decay = 0, bool amsgrad = false) =>
            new(parameters, lr, beta1, beta2, eps, weight_decay, amsgrad);
    }
}
