// The live-tensor counter is process-wide, and the machine has two cores: run test classes one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
