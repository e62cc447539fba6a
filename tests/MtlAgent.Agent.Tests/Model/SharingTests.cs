using System.Text.Json;
using MtlAgent.Agent.Checkpoints;
using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Engine;
using MtlAgent.Agent.Evaluation;
using MtlAgent.Agent.Learning;
using MtlAgent.Agent.Model;
using MtlAgent.Agent.Runs;
using MtlAgent.Agent.Tests.Support;
using MtlAgent.Agent.Tests.Training;
using MtlAgent.Agent.Training;
using MtlAgent.Envs;
using TorchSharp;
using TorchSharp.Modules;
using static MtlAgent.Agent.Tests.Support.Configs;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Tests.Model;

/// <summary>The sharing designs (<c>network.sharing</c>, <c>network.trunk</c>): each one's defining property.</summary>
public class SharingTests
{
    private static NetworkConfig Net(Sharing sharing, TaskConditioning conditioning = TaskConditioning.None,
        TrunkKind trunk = TrunkKind.Plain,
        int experts = 1, double softL2 = 0.01) =>
        new()
        {
            ConvChannels = [8], Hidden = 32, TaskConditioning = conditioning, Sharing = sharing, Trunk = trunk, Experts = experts,
            SoftL2 = softL2,
        };

    private static Parameter Named(nn.Module net, string name) => net.named_parameters().Single(p => p.name == name).parameter;

    private static float[] Values(Tensor t) => t.detach().contiguous().data<float>().ToArray();

    private static void CopyWeights(nn.Module from, nn.Module to, Func<string, string>? rename = null)
    {
        using var _ = no_grad();
        var source = from.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, p) in to.named_parameters())
            if (source.TryGetValue(rename?.Invoke(name) ?? name, out var s)) p.copy_(s);
    }

    private static bool SameWeights(IReadOnlyList<byte[]> a, IReadOnlyList<byte[]> b) =>
        a.Count == b.Count && a.Zip(b).All(x => x.First.AsSpan().SequenceEqual(x.Second));

    [Fact]
    public void Keys_HardKeepsItsKeys_OtherDesignsNameTheirTrunks()
    {
        string Keys(NetworkConfig c)
        {
            using var net = new MultiTaskQNetwork(c, 4, [3, 6]);
            return string.Join(" ", net.named_parameters().Select(p => p.name));
        }
        string[] heads = ["heads.0.weight", "heads.0.bias", "heads.1.weight", "heads.1.bias"];
        string[] trunk = ["convs.0.weight", "convs.0.bias", "fc.weight", "fc.bias"];
        string[] Under(string prefix, int n) => Enumerable.Range(0, n).SelectMany(i => trunk.Select(k => $"{prefix}.{i}.{k}")).ToArray();
        string Join(params string[] keys) => string.Join(" ", keys);
        // TorchSharp lists a module's own parameters before its submodules' (as it always has for film_scale).
        Assert.Equal(Join(["film_scale", "film_shift", .. trunk, .. heads]), Keys(Net(Sharing.Hard, TaskConditioning.Film)));
        Assert.Equal(Join([.. Under("columns", 2), .. heads]), Keys(Net(Sharing.Separate)));
        Assert.Equal(Join([.. Under("columns", 2), .. heads]), Keys(Net(Sharing.Soft)));
        Assert.Equal(Join(["cross_stitch", .. Under("columns", 2), .. heads]), Keys(Net(Sharing.CrossStitch)));
        Assert.Equal(Join(["convs.0.weight", "convs.0.bias", "fcs.0.weight", "fcs.0.bias", "fcs.1.weight", "fcs.1.bias", .. heads]),
            Keys(Net(Sharing.Conv)));
        Assert.Equal(Join(["fc.weight", "fc.bias", "game_convs.0.0.weight", "game_convs.0.0.bias", "game_convs.1.0.weight",
            "game_convs.1.0.bias", .. heads]), Keys(Net(Sharing.Hidden)));
        Assert.Equal(Join(["gate_logits", .. Under("experts", 3), .. heads]), Keys(Net(Sharing.Hard, trunk: TrunkKind.Moe, experts: 3)));
    }

    /// <summary>
    /// One SGD step on game 1's rows only (of three games) in a network of <paramref name="sharing"/>: asserts that exactly
    /// the parameters whose names start with one of <paramref name="reached"/> changed; returns the network's shared
    /// parameters by name.
    /// </summary>
    private static string[] AStepOnGame1Changes(Sharing sharing, params string[] reached)
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var net = new MultiTaskQNetwork(Net(sharing, TaskConditioning.Concat), 4, [3, 3, 3]);
        var before = net.named_parameters().ToDictionary(p => p.name, p => Values(p.parameter));
        using var sgd = optim.SGD(net.parameters(), 0.1);
        int[] rows = [0, 5, 0];                          // game 1's rows only
        var q = net.forward(rand(5, 4, 10, 10), MultiTaskQNetwork.TaskOneHot(rows, CPU), rows);
        q[1].square().mean().backward();
        sgd.step();
        foreach (var (name, p) in net.named_parameters())
        {
            bool hit = reached.Any(r => name.StartsWith(r, StringComparison.Ordinal));
            Assert.True(hit != before[name].SequenceEqual(Values(p)), $"{name} {(hit ? "did not change" : "changed")}");
        }
        return net.SharedParameters().Select(s => net.named_parameters().Single(n => ReferenceEquals(n.parameter, s)).name).ToArray();
    }

    [Fact]
    public void Separate_AGradientStepOnOneGamesRowsChangesNoOtherGamesTrunk()
    {
        Assert.Empty(AStepOnGame1Changes(Sharing.Separate, "columns.1.", "heads.1."));   // the gradient probe has nothing to compare
        Assert.False(Net(Sharing.Separate).SharesParameters());
    }

    [Fact]
    public void Conv_AGradientStepOnOneGamesRowsChangesTheSharedConvolutionsAndThatGamesHiddenLayerOnly() =>
        Assert.Equal(["convs.0.weight", "convs.0.bias"],                // what the gradient probe compares the games on
            AStepOnGame1Changes(Sharing.Conv, "convs.", "fcs.1.", "heads.1."));

    [Fact]
    public void Hidden_AGradientStepOnOneGamesRowsChangesThatGamesConvolutionsAndTheSharedHiddenLayerOnly() =>
        Assert.Equal(["fc.weight", "fc.bias"],                          // what the gradient probe compares the games on
            AStepOnGame1Changes(Sharing.Hidden, "game_convs.1.", "fc.", "heads.1."));

    [Fact]
    public void Hidden_WithOneGameIsHardSharing_AndEachGamesConvolutionsSeeItsOwnChannelsOnly()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var hard = new MultiTaskQNetwork(Net(Sharing.Hard, TaskConditioning.Concat), 4, [3]);
        manual_seed(5);
        using var one = new MultiTaskQNetwork(Net(Sharing.Hidden, TaskConditioning.Concat), 4, [3]);
        var drawn = hard.named_parameters().ToDictionary(p => p.name, p => Values(p.parameter));
        foreach (var (name, p) in one.named_parameters())                                   // same draws
            Assert.Equal(drawn[name.Replace("game_convs.0.", "convs.", StringComparison.Ordinal)], Values(p));
        var obs = rand(6, 4, 10, 10);
        Assert.Equal(Values(hard.forward(obs, ones(6, 1), [6])[0]), Values(one.forward(obs, ones(6, 1), [6])[0]));

        // Games of 2 and 4 channels in a 4-channel input: game 0's convolutions take 2 channels, as alone; what the zero
        // padding holds does not reach game 0's values, and a game's values do not depend on the other game's rows.
        using var two = new MultiTaskQNetwork(Net(Sharing.Hidden, TaskConditioning.Concat), [2, 4], [3, 3]);
        Assert.Equal(4, two.Channels);
        Assert.Equal(new long[] { 8, 2, 3, 3 }, Named(two, "game_convs.0.0.weight").shape);
        Assert.Equal(new long[] { 8, 4, 3, 3 }, Named(two, "game_convs.1.0.weight").shape);
        int[] rows = [2, 4];
        var task = MultiTaskQNetwork.TaskOneHot(rows, CPU);
        var both = two.forward(obs, task, rows);
        var padding = obs.clone();
        padding.narrow(0, 0, 2).narrow(1, 2, 2).fill_(7);
        Assert.Equal(Values(both[0]), Values(two.forward(padding, task, rows)[0]));
        var second = two.forward(obs.narrow(0, 2, 4), MultiTaskQNetwork.TaskOneHot([0, 4], CPU), [0, 4]);
        Assert.Equal(Values(second[1]), Values(both[1]), new FloatTolerance(1e-6f));
    }

    [Fact]
    public void Hidden_TrainsGamesOfDifferentChannelCounts_AndItsCheckpointEvaluates()
    {
        var config = Design("hidden") with { Games = ["MinAtar/Breakout-v1", "MinAtar/SpaceInvaders-v1"] };
        using var dir = new TempDir();
        using (var t = new Trainer(config))
        {
            Assert.Equal(6, t.Channels);
            Assert.Equal(new long[] { 8, 4, 3, 3 }, Named(t.Learner.Online, "game_convs.0.0.weight").shape);
            for (int i = 0; i < 120; i++) t.Step();
            Assert.NotNull(t.Gradients);
            TrainerCheckpoint.Save(t, dir.Path, wallSeconds: 0);
        }
        using var loaded = CheckpointPolicy.Load(dir.Path);
        var result = new Evaluator(loaded.Policy, CheckpointEnv.Options(loaded.Config))
            .EvaluateGame("MinAtar/SpaceInvaders-v1", new EvaluationOptions { Episodes = 1, MaxEpisodeSteps = 50, Seed = 1 });
        Assert.Equal(1, result.Episodes);
    }

    [Fact]
    public void Conv_WithOneGameIsHardSharing_AndAGamesValuesDoNotDependOnTheOtherGamesRows()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var hard = new MultiTaskQNetwork(Net(Sharing.Hard, TaskConditioning.Concat), 4, [3]);
        manual_seed(5);
        using var conv = new MultiTaskQNetwork(Net(Sharing.Conv, TaskConditioning.Concat), 4, [3]);
        Assert.Equal(hard.parameters().Select(Values), conv.parameters().Select(Values));     // same draws, same order
        var obs = rand(6, 4, 10, 10);
        Assert.Equal(Values(hard.forward(obs, ones(6, 1), [6])[0]), Values(conv.forward(obs, ones(6, 1), [6])[0]));

        // Two games: a batch of both gives each game's rows what a batch of that game alone gives.
        using var two = new MultiTaskQNetwork(Net(Sharing.Conv, TaskConditioning.Concat), 4, [3, 3]);
        int[] rows = [2, 4];
        var both = two.forward(obs, MultiTaskQNetwork.TaskOneHot(rows, CPU), rows);
        var first = two.forward(obs.narrow(0, 0, 2), MultiTaskQNetwork.TaskOneHot([2, 0], CPU), [2, 0]);
        var second = two.forward(obs.narrow(0, 2, 4), MultiTaskQNetwork.TaskOneHot([0, 4], CPU), [0, 4]);
        Assert.Equal(Values(first[0]), Values(both[0]), new FloatTolerance(1e-6f));
        Assert.Equal(Values(second[1]), Values(both[1]), new FloatTolerance(1e-6f));
    }

    [Fact]
    public void CrossStitch_AtTheIdentityIsSeparate_AndItsMixingWeightsLearn()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var separate = new MultiTaskQNetwork(Net(Sharing.Separate, TaskConditioning.Concat), 4, [3, 6]);
        using var stitched = new MultiTaskQNetwork(Net(Sharing.CrossStitch, TaskConditioning.Concat), 4, [3, 6]);
        var alpha = Named(stitched, "cross_stitch");
        Assert.Equal(new long[] { 2, 2, 2 }, alpha.shape);       // one 2x2 matrix after the conv, one after the hidden layer
        Assert.Equal([0.9f, 0.1f, 0.1f, 0.9f, 0.9f, 0.1f, 0.1f, 0.9f], Values(alpha));   // Misra et al.'s start
        using (no_grad()) alpha.copy_(eye(2).expand(2, 2, 2));
        CopyWeights(separate, stitched);
        int[] rows = [3, 2];
        var obs = rand(5, 4, 10, 10);
        var task = MultiTaskQNetwork.TaskOneHot(rows, CPU);
        var a = separate.forward(obs, task, rows);
        var b = stitched.forward(obs, task, rows);
        for (int g = 0; g < 2; g++) Assert.Equal(Values(a[g]), Values(b[g]), new FloatTolerance(1e-6f));

        using var mixed = new MultiTaskQNetwork(Net(Sharing.CrossStitch), 4, [3, 6]);
        var q = mixed.forward(obs, task, rows);
        (q[0].square().mean() + q[1].square().mean()).backward();
        var grad = Named(mixed, "cross_stitch").grad!;
        Assert.True(grad.abs().max().item<float>() > 0, "the cross-stitch units got no gradient");
        Assert.Contains(mixed.SharedParameters(), p => ReferenceEquals(p, Named(mixed, "cross_stitch")));
        Assert.Equal(mixed.parameters().Count() - 4, mixed.SharedParameters().Count);   // all but the heads
    }

    [Fact]
    public void Moe_GatesSumToOnePerGame_AndOneExpertIsHard()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var moe = new MultiTaskQNetwork(Net(Sharing.Hard, TaskConditioning.Film, TrunkKind.Moe, experts: 3), 4, [3, 6]);
        var gate = moe.Gate()!;
        Assert.All(gate.Usage, u => { Assert.Equal(3, u.Length); Assert.Equal(1.0, u.Sum(), 12); });
        Assert.All(gate.Entropy, h => Assert.Equal(Math.Log(3), h, 12));   // uniform at the start
        int[] rows = [2, 3];
        var obs = rand(5, 4, 10, 10);
        var task = MultiTaskQNetwork.TaskOneHot(rows, CPU);
        var q = moe.forward(obs, task, rows);
        q[0].square().mean().backward();
        var g = Named(moe, "gate_logits").grad!;
        Assert.True(g[0].abs().max().item<float>() > 0, "game 0's gate got no gradient");
        Assert.Equal(0f, g[1].abs().max().item<float>());    // a game's loss reaches its own gate only
        Assert.Null(new MultiTaskQNetwork(Net(Sharing.Hard), 4, [3, 6]).Gate());

        foreach (var conditioning in new[] { TaskConditioning.None, TaskConditioning.Concat, TaskConditioning.Film })
        {
            manual_seed(6);
            using var hard = new MultiTaskQNetwork(Net(Sharing.Hard, conditioning), 4, [3, 6]);
            manual_seed(7);
            using var one = new MultiTaskQNetwork(Net(Sharing.Hard, conditioning, TrunkKind.Moe, experts: 1), 4, [3, 6]);
            CopyWeights(hard, one, name => name.StartsWith("experts.0.", StringComparison.Ordinal) ? name["experts.0.".Length..] : name);
            var a = hard.forward(obs, task, rows);
            var b = one.forward(obs, task, rows);
            for (int i = 0; i < 2; i++) Assert.Equal(Values(a[i]), Values(b[i]));           // bitwise: the gate is exactly 1
        }
    }

    [Fact]
    public void Soft_ALargePenaltyHoldsTheTrunksTogether_NoneTrainsThemAsSeparate()
    {
        TrainConfig Config(Sharing sharing, double softL2) => Tiny() with
        {
            Network = Net(sharing, TaskConditioning.Concat, softL2: softL2),
            Learner = Tiny().Learner with { UpdatePeriod = 1 },
        };
        double Spread(TrainConfig config)
        {
            using var t = new Trainer(config);
            Assert.Equal(0.0, t.Learner.Online.TrunkSpread());                   // soft starts the columns together
            for (int i = 0; i < 300; i++) t.Step();
            Assert.True(t.Updates > 200);
            return t.Learner.Online.TrunkSpread();
        }
        double held = Spread(Config(Sharing.Soft, 1000)), free = Spread(Config(Sharing.Soft, 0));
        Assert.True(free > 0, "without a penalty the game trunks should part");
        Assert.True(held < 0.05 * free, $"spread {held:G3} with soft_l2 1000, {free:G3} with 0");

        // soft_l2 = 0 is separate trunks from soft's common start: the same weights, bitwise.
        using var soft = new Trainer(Config(Sharing.Soft, 0));
        using var separate = new Trainer(Config(Sharing.Separate, 0));
        CopyWeights(soft.Learner.Online, separate.Learner.Online);
        CopyWeights(soft.Learner.Target, separate.Learner.Target);
        for (int i = 0; i < 150; i++) { soft.Step(); separate.Step(); }
        Assert.True(SameWeights(TrainerTests.Weights(soft), TrainerTests.Weights(separate)), "soft with soft_l2 0 differs from separate");
    }

    public static TheoryData<string> Designs => new() { "hard", "separate", "soft", "cross_stitch", "conv", "hidden", "moe" };

    private static TrainConfig Design(string design) => Tiny() with
    {
        Network = design == "moe"
            ? Net(Sharing.Hard, TaskConditioning.Concat, TrunkKind.Moe, experts: 3)
            : Net(ConfigChoices.Parse<Sharing>(design, "network.sharing"),
                design == "soft" ? TaskConditioning.Film : TaskConditioning.Concat),
        Monitor = new MonitorConfig { ReturnWindow = 5, GradientEvery = 3 },
    };

    [Theory]
    [MemberData(nameof(Designs))]
    public void EveryDesign_SavesACheckpointThatEvaluates_RowByRowAsTheTrainer(string design)
    {
        var config = Design(design);
        using var dir = new TempDir();
        using var t = new Trainer(config);
        for (int i = 0; i < 120; i++) t.Step();
        Assert.Equal(config.Network.SharesParameters(), t.Gradients is not null);
        TrainerCheckpoint.Save(t, dir.Path, wallSeconds: 0);

        using var loaded = CheckpointPolicy.Load(dir.Path);
        Assert.Equal(ConfigYaml.Flatten(config), ConfigYaml.Flatten(loaded.Config));
        var env = EnvRegistry.Make("MinAtar/Asterix-v1");
        var (cells, _) = env.Reset(seed: 3);
        float[][] fromCheckpoint = [null!], fromTrainer = [null!];
        loaded.Policy.Outputs([0, 1], _ => cells, fromCheckpoint);     // a single row of one game
        t.Policy.Outputs([0, 1], _ => cells, fromTrainer);
        Assert.Equal(fromTrainer[0], fromCheckpoint[0], new FloatTolerance(1e-6f));   // last-bit differences: other memory layout
        var result = new Evaluator(loaded.Policy, CheckpointEnv.Options(loaded.Config))
            .EvaluateGame("MinAtar/Breakout-v1", new EvaluationOptions { Episodes = 1, MaxEpisodeSteps = 50, Seed = 1 });
        Assert.Equal(1, result.Episodes);
    }

    [Theory]
    [InlineData("soft")]
    [InlineData("cross_stitch")]
    [InlineData("conv")]
    [InlineData("hidden")]
    [InlineData("moe")]
    public void EveryDesign_ResumesBitwiseExactly(string design)
    {
        var config = Design(design);
        using var dir = new TempDir();
        List<byte[]> uninterrupted;
        TrainingSnapshot expected;
        using (var a = new Trainer(config))
        {
            for (int i = 0; i < 200; i++) a.Step();
            uninterrupted = TrainerTests.Weights(a);
            expected = a.Snapshot();
        }
        string checkpoint = dir.Sub("step-100");
        using (var b = new Trainer(config))
        {
            for (int i = 0; i < 100; i++) b.Step();
            TrainerCheckpoint.Save(b, checkpoint, wallSeconds: 0);
        }
        var (c, _) = TrainerCheckpoint.Load(checkpoint, config);
        using var _c = c;
        for (int i = 0; i < 100; i++) c.Step();
        Assert.True(SameWeights(uninterrupted, TrainerTests.Weights(c)), "weights after resume differ from the uninterrupted run");
        var got = c.Snapshot();
        Assert.Equal(expected.Games.Select(g => (g.Episodes, g.RecentReturn, g.PopArtMu, g.PopArtSigma, g.GateEntropy)),
            got.Games.Select(g => (g.Episodes, g.RecentReturn, g.PopArtMu, g.PopArtSigma, g.GateEntropy)));
    }

    [Theory]
    [MemberData(nameof(Designs))]
    public void EveryDesign_PopArtRescalesEachGamesHeadOnly(string design)
    {
        using var scope = NewDisposeScope();
        manual_seed(8);
        var network = Design(design).Network;
        using var net = new MultiTaskQNetwork(network, 4, [3, 6]);
        using var flat = new FlatParameters(net);
        using var rescale = new HeadRescale(net, CPU, flat);
        int[] rows = [2, 3];
        var obs = rand(5, 4, 10, 10);
        var task = MultiTaskQNetwork.TaskOneHot(rows, CPU);
        float[][] before, after;
        using (no_grad()) before = net.forward(obs, task, rows).Select(Values).ToArray();
        rescale.Apply([2.0, 0.5], [1.0, -3.0]);
        using (no_grad()) after = net.forward(obs, task, rows).Select(Values).ToArray();
        Assert.Equal(before[0].Select(q => 2f * q + 1f), after[0], new FloatTolerance(1e-5f));
        Assert.Equal(before[1].Select(q => 0.5f * q - 3f), after[1], new FloatTolerance(1e-5f));
    }

    [Theory]
    [InlineData("soft")]
    [InlineData("cross_stitch")]
    [InlineData("moe")]
    public void EveryDesign_TrainsWithoutLeavingTensorsBehind(string design)
    {
        using var t = new Trainer(Design(design));
        for (int i = 0; i < 100; i++) t.Step();
        long live = LiveTensors.OnThisThread;
        for (int i = 0; i < 100; i++) { t.Step(); t.Snapshot(); }
        Assert.Equal(live, LiveTensors.OnThisThread);
    }

    [Fact]
    public void AMismatchedDesignIsRefused_NamingTheKeysAndTheSetting()
    {
        var config = Design("separate");
        using var dir = new TempDir();
        using (var t = new Trainer(config))
        {
            for (int i = 0; i < 70; i++) t.Step();
            TrainerCheckpoint.Save(t, dir.Path, wallSeconds: 0);
        }
        var hard = config with { Network = config.Network with { Sharing = Sharing.Hard } };
        var resume = Assert.Throws<CheckpointException>(() => TrainerCheckpoint.Load(dir.Path, hard));
        Assert.Contains("network.sharing", resume.Message);
        Assert.Contains("separate", resume.Message);

        string model = System.IO.Path.Combine(dir.Path, CheckpointFormat.Model);
        var tensors = TensorFile.Read(model);
        using var net = new MultiTaskQNetwork(hard.Network, 4, [3, 6]);
        var e = Assert.Throws<CheckpointException>(() =>
            TensorFile.CopyInto(net, CheckpointFormat.OnlinePrefix, tensors, model, net.Design));
        Assert.Contains("network.sharing: hard", e.Message);
        Assert.Contains("missing 'online.convs.0.weight'", e.Message);
        Assert.Contains("unexpected 'online.columns.0.convs.0.weight'", e.Message);
        foreach (var t in tensors.Values) t.Dispose();
    }

    [Fact]
    public void TheMetricsRowsCarryTheGate_WhenTheTrunkIsAMixture()
    {
        JsonElement FirstGame(TrainConfig config)
        {
            using var t = new Trainer(config);
            for (int i = 0; i < 80; i++) t.Step();
            using var doc = JsonDocument.Parse(MetricsLog.Row(t.Snapshot(), null, 1, 1));
            return doc.RootElement.GetProperty("games")[0].Clone();
        }
        var moe = FirstGame(Design("moe"));
        var usage = moe.GetProperty("expert_usage").EnumerateArray().Select(u => u.GetDouble()).ToArray();
        Assert.Equal(3, usage.Length);
        Assert.Equal(1.0, usage.Sum(), 9);
        Assert.InRange(moe.GetProperty("gate_entropy").GetDouble(), 0, Math.Log(3) + 1e-9);
        var hard = FirstGame(Design("hard"));
        Assert.False(hard.TryGetProperty("expert_usage", out _));
        Assert.False(hard.TryGetProperty("gate_entropy", out _));
    }

    [Theory]
    [InlineData(Sharing.Separate, true)]
    [InlineData(Sharing.Soft, true)]
    [InlineData(Sharing.CrossStitch, false)]
    public void TheRunSaysOnceWhenTheGradientProbeHasNothingToMeasure(Sharing sharing, bool said)
    {
        using var dir = new TempDir();
        var config = Runs.TrainingRunnerTests.Config() with
        {
            Games = ["MinAtar/Breakout-v1", "MinAtar/Asterix-v1"],
            Network = Net(sharing),
            Monitor = new MonitorConfig { GradientEvery = 5 },
        };
        var log = new List<string>();
        _ = new TrainingRunner(new Runs.TrainingRunnerTests.FakeLoop(config), new RunDirectory(dir.Path), log.Add);
        Assert.Equal(said, log.Any(l => l.Contains("monitor.gradient_every measures nothing", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("network.sharing=shared", "hard, separate, soft, cross_stitch, conv, hidden")]
    [InlineData("network.trunk=mixture", "plain, moe")]
    [InlineData("network.experts=0", "network.experts: 0 must be at least 1")]
    [InlineData("network.soft_l2=-1", "network.soft_l2: -1 must be a non-negative number")]
    public void ConfigRefusesBadSharingValues(string set, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => new ConfigBuilder().Set("network.trunk=moe").Set(set).Build());
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void ConfigRefusesMeaninglessCombinations()
    {
        var e = Assert.Throws<ConfigException>(() => new ConfigBuilder().Set("network.experts=4").Build());
        Assert.Contains("network.experts: 4 experts need network.trunk: moe", e.Message);
        e = Assert.Throws<ConfigException>(() => new ConfigBuilder().Set("network.trunk=moe").Set("network.sharing=separate").Build());
        Assert.Contains("network.trunk: moe needs network.sharing: hard", e.Message);
        var ok = new ConfigBuilder().Set("network.sharing=cross_stitch").Set("network.task_conditioning=film").Build();
        Assert.Equal(Sharing.CrossStitch, ok.Network.Sharing);
    }
}
