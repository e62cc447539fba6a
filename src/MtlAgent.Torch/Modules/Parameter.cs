namespace MtlAgent.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// A tensor owned by a module and trained by optimizers. Like TorchSharp, it takes over the
        /// native tensor of <c>data</c> (which is left disposed) and belongs to no dispose scope.
        /// </summary>
        public sealed class Parameter : Tensor
        {
            public Parameter(Tensor data, bool requires_grad = true) : base(TakeDetached(data))
            {
                DetachFromDisposeScope();
                this.requires_grad = requires_grad;
            }

            static IntPtr TakeDetached(Tensor data)
            {
                using (data)
                using (var detached = data.detach())
                    return detached.MoveHandle();
            }
        }
    }
}
